import { describe, expect, it } from 'vitest';
import { isPassage, MIN_PASSAGE_WORDS, passageShape, UNPUNCTUATED_PASSAGE_WORDS } from './passage';

describe('passageShape', () => {
  it('keeps ordinary prose, short one-sentence paragraphs and quotes included', () => {
    for (const text of [
      'The council will vote on the river plan next year after a public exhibition in the library.',
      'He denied all the charges against him.',
      '“We will keep the water in liquid form as long as we can,” he said.',
      'Is this the end of the high street as we know it?',
      'Die Stadt will den Fluss wieder öffnen, damit Fische zurückkehren können.',
      '市议会明年将在图书馆举办公开展览后对河流计划进行投票。',
      // An unpunctuated block long enough to be prose (a list item of the article, say).
      'Engineers want to open the river again so that fish can return and the banks become a park for everyone',
    ])
      expect(passageShape(text), text).toMatchObject({ passage: true });
  });

  it('drops labels, captions, credits, teasers and fillers, saying why', () => {
    const cases: Array<[string, string]> = [
      ['US FALLS', 'too-short'],
      ['FRANCE WINS', 'too-short'],
      ["DON'T MISS: THE ROYAL FAMILY'S SECRET CHRISTMAS MENU REVEALED", 'capitals'],
      ['Prince Harry arrives at the High Court in London (Image: GETTY)', 'credit'],
      ['Prince Harry arrived at the High Court in London on Tuesday for the third day of his case. (Photo: Jane Doe/Agency)', 'credit'],
      ['The harbour at dawn, seen from the old lighthouse © Jane Doe 2024', 'credit'],
      ['Man arrested after dog attack in city park', 'no-sentence'],
      ['Read more: the ten best beaches in Europe this summer', 'no-sentence'],
      ['Share this article', 'too-short'],
      ['Sign up.', 'too-short'],
    ];
    for (const [text, reason] of cases) expect(passageShape(text), text).toMatchObject({ passage: false, reason });
  });

  it('draws its lines where the constants say', () => {
    const sentence = (n: number, end = '.') => `${Array.from({ length: n }, (_, i) => `word${i}`).join(' ')}${end}`;
    expect(isPassage(sentence(MIN_PASSAGE_WORDS - 1))).toBe(false);
    expect(isPassage(sentence(MIN_PASSAGE_WORDS))).toBe(true);
    expect(isPassage(sentence(UNPUNCTUATED_PASSAGE_WORDS - 1, ''))).toBe(false);
    expect(isPassage(sentence(UNPUNCTUATED_PASSAGE_WORDS, ''))).toBe(true);
  });

  it('counts capitals only among cased words, so an acronym or two does not make prose a label', () => {
    expect(isPassage('The NHS and the BBC both said the UK would publish the figures next week.')).toBe(true);
    expect(isPassage('THE MAYOR SAID THE VOTE WAS HISTORIC AND THE HALL APPLAUDED.')).toBe(false);
  });

  it('does not mistake a long paragraph with a bracketed aside for a credit', () => {
    const long = `The report (published on Monday: the first in a decade) found that ${'rivers and streams across the region were cleaner than before, '.repeat(4)}and that more work is needed (Source: the agency)`;
    expect(isPassage(long)).toBe(true);
  });
});
