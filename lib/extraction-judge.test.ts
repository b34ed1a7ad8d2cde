import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { Quality, judgeRun } from './extraction-judge';
import { markupLayoutProbe } from './extraction-probe';
import { Walker } from './extraction-walk';

function firstRun(html: string) {
  const window = new Window({ url: 'https://example.com/' });
  const doc = window.document as unknown as Document;
  doc.write(`<html><body>${html}</body></html>`);
  const walker = new Walker(doc, markupLayoutProbe);
  walker.step(Number.POSITIVE_INFINITY, () => 0);
  return walker.runs[0]!;
}

const quality = (html: string) => judgeRun(firstRun(html)).quality;

const para = (n: number) =>
  `Paragraph ${n} tells what the committee decided on the morning of day ${n}, and what the decision means for the people of the valley.`;

describe('judgeRun', () => {
  it('calls long text with few links prose', () => {
    expect(quality(`<p>${para(1)}</p>`)).toBe(Quality.Prose);
    expect(quality('<p>A short sentence that still ends like one.</p>')).toBe(Quality.Prose);
  });

  it('calls short text short, and link lists links', () => {
    expect(quality('<p>Background</p>')).toBe(Quality.Short);
    expect(quality('<p><a href="/a">Another story about a council vote somewhere else in the country</a></p>')).toBe(Quality.Links);
  });

  it('calls stock phrases, calls to action and date lines boilerplate', () => {
    for (const text of ['Advertisement', 'Share this article', 'Continue reading', 'Like this story? Share it with a friend!', '20 Nov, 2019 05:47', 'Updated 10:32 AM']) {
      expect(quality(`<p>${text}</p>`), text).toBe(Quality.Boilerplate);
    }
    expect(quality('<p>The advertisement ran for three weeks before anyone complained about it.</p>')).toBe(Quality.Prose);
  });

  it('weighs CJK characters three times, so that a short Chinese sentence is prose', () => {
    const run = firstRun('<p>市议会昨晚就新预算进行了投票。</p>');
    const zh = judgeRun(run);
    expect(zh.weight).toBe(3 * run.chars);
    expect(zh.quality).toBe(Quality.Prose);
    const latin = firstRun('<p>The council voted on it.</p>');
    expect(judgeRun(latin).weight).toBe(latin.chars);
  });

  it('measures the share of link text', () => {
    const v = judgeRun(firstRun('<p>Half of <a href="/x">this is linked</a></p>'));
    expect(v.linkDensity).toBeCloseTo('this is linked'.length / ('Half of'.length + 'this is linked'.length));
  });
});
