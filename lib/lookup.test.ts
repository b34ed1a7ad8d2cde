import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { applyLookup, createLearner, knownAfterLookups, markWord } from './learner';
import { knowledgeFromRecord } from './difficulty';
import { LOOKUP_LIMITS, LookupRecordSchema, lookupCounts, lookupRecord, lookupsFileName, lookupsToCsv, lookupsToJson } from './lookup';

const AT = Date.UTC(2026, 11, 3, 9, 30);
const bankSense = { id: 'bank.n.1', lemma: 'bank', pos: 'noun', gloss: 'sloping land beside a body of water' };

function record(word = 'bank', chosen: typeof bankSense | null = bankSense) {
  return lookupRecord({ id: 'l1', at: AT, word, lang: 'en', sentence: 'We sat on the bank of the river.', url: 'https://a.example/x', title: 'A river', chosen });
}

describe('lookupRecord', () => {
  it('keeps the word, its sentence, the page and the chosen sense, and passes its own schema', () => {
    const r = record();
    expect(r).toMatchObject({ word: 'bank', lemma: 'bank', pos: 'noun', senseId: 'bank.n.1', gloss: bankSense.gloss, url: 'https://a.example/x' });
    expect(v.safeParse(LookupRecordSchema, r).success).toBe(true);
  });

  it('records a word the dictionary does not know with no sense', () => {
    const r = record('blorp', null);
    expect(r).toMatchObject({ lemma: null, pos: null, senseId: null, gloss: null });
    expect(v.safeParse(LookupRecordSchema, r).success).toBe(true);
  });

  it('cuts over-long fields to the limits the schema accepts', () => {
    const r = lookupRecord({ id: 'l2', at: AT, word: 'w'.repeat(500), lang: 'en', sentence: 's'.repeat(9000), url: 'u', title: 't'.repeat(5000), chosen: null });
    expect(r.word.length).toBe(LOOKUP_LIMITS.word);
    expect(r.sentence.length).toBe(LOOKUP_LIMITS.sentence);
    expect(v.safeParse(LookupRecordSchema, r).success).toBe(true);
  });

  it('is refused by the schema with an unknown field', () => {
    expect(v.safeParse(LookupRecordSchema, { ...record(), extra: 1 }).success).toBe(false);
  });
});

describe('exports', () => {
  it('writes CSV with a header, quoting commas and quotes, and neutralising formulas', () => {
    const r = { ...record(), sentence: 'He said "bank", then left.', title: '=HYPERLINK("x")' };
    const csv = lookupsToCsv([r]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe('time,word,lemma,pos,meaning,sentence,title,url,lang');
    expect(row).toContain('"He said ""bank"", then left."');
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row!.startsWith('2026-12-03T09:30:00.000Z,bank,bank,noun,')).toBe(true);
  });

  it('writes JSON that gives the records back', () => {
    const parsed = JSON.parse(lookupsToJson([record()])) as { lookups: Array<Record<string, unknown>> };
    expect(parsed.lookups[0]).toMatchObject({ ...record(), time: '2026-12-03T09:30:00.000Z' });
  });

  it('names the file by date and format', () => {
    expect(lookupsFileName(AT, 'csv')).toBe('attention-reader-lookups-2026-12-03.csv');
  });

  it('counts look-ups per lemma', () => {
    const counts = lookupCounts([record('banks'), record('bank'), record('blorp', null)]);
    expect(counts.get('bank')).toBe(2);
    expect(counts.get('blorp')).toBe(1);
  });
});

describe('look-ups as evidence about the learner', () => {
  const learner = () => createLearner({ targetLang: 'en', nativeLang: 'de', now: 0 });

  it('makes a word learning, and less likely known with each look-up', () => {
    const once = applyLookup(learner(), 'embankment', 1);
    const twice = applyLookup(once, 'embankment', 2);
    const first = knowledgeFromRecord(once.words['embankment']);
    const second = knowledgeFromRecord(twice.words['embankment']);
    expect(once.words['embankment']).toMatchObject({ state: 'learning', lookups: 1, cleanExposures: 0, explicit: false });
    expect(first).toBeLessThan(0.5);
    expect(second).toBeLessThan(first!);
    expect(twice.words['embankment']!.lookups).toBe(2);
  });

  it('keeps an explicit mark, counting the look-up', () => {
    const marked = markWord(learner(), 'bank', 'known', 1);
    const looked = applyLookup(marked, 'bank', 2);
    expect(looked.words['bank']).toMatchObject({ state: 'known', explicit: true, lookups: 1 });
  });

  it('turns an implicitly known word back to learning', () => {
    const base = learner();
    const known = { ...base, words: { bank: { state: 'known' as const, explicit: false, cleanExposures: 5, lookups: 0, form: 'bank', updatedAt: 0, knownAt: 0 } } };
    const looked = applyLookup(known, 'bank', 3);
    expect(looked.words['bank']).toMatchObject({ state: 'learning', cleanExposures: 0, lookups: 1 });
    expect(looked.words['bank']!.knownAt).toBeUndefined();
  });

  it('halves the probability per look-up, from one half', () => {
    expect(knownAfterLookups(0)).toBe(0.5);
    expect(knownAfterLookups(1)).toBe(0.25);
    expect(knownAfterLookups(2)).toBe(0.125);
  });
});
