import { describe, expect, it } from 'vitest';
import { BLOCK_TAGS, NameMark, SKIPPED_TAGS, TAG_BLOCK, TAG_FLAGS, TAG_FURNITURE, TAG_SKIP, nameMark } from './extraction-dom';

describe('nameMark', () => {
  it('marks furniture by whole words of class and id names, whatever the separator or case', () => {
    for (const cls of ['share-bar', 'shareBar', 'share_bar', 'SHARE']) {
      expect(nameMark(cls, null)).toBe(NameMark.Furniture);
    }
    expect(nameMark(null, 'comments')).toBe(NameMark.Comments);
    expect(nameMark('most-read', null)).toBe(NameMark.Furniture);
    expect(nameMark('mostRead', null)).toBe(NameMark.Furniture);
  });

  it('does not match furniture words inside other words', () => {
    expect(nameMark('shadow', null)).toBe(NameMark.None);
    expect(nameMark('address-block', null)).toBe(NameMark.None);
    expect(nameMark('reader-navigator', null)).toBe(NameMark.None);
  });

  it('lets strong furniture words win over content words (as mixed furniture), and content words over weak ones', () => {
    expect(nameMark('article-footer', null)).toBe(NameMark.MixedFurniture);
    expect(nameMark('entry-meta', null)).toBe(NameMark.MixedFurniture);
    expect(nameMark('post share', null)).toBe(NameMark.MixedFurniture);
    expect(nameMark('article-content-breaking-news promo', null)).toBe(NameMark.Content);
    expect(nameMark('promo', null)).toBe(NameMark.WeakFurniture);
    expect(nameMark('right-rail', null)).toBe(NameMark.WeakFurniture);
  });

  it('marks article containers as content and says nothing of neutral names', () => {
    expect(nameMark('article-body', null)).toBe(NameMark.Content);
    expect(nameMark(null, 'story')).toBe(NameMark.Content);
    expect(nameMark('col-md-8 clearfix', null)).toBe(NameMark.None);
    expect(nameMark(null, null)).toBe(NameMark.None);
    expect(nameMark('', '')).toBe(NameMark.None);
  });

  it('combines class and id', () => {
    expect(nameMark('wrapper', 'sidebar')).toBe(NameMark.Furniture);
    expect(nameMark('story', 'x1')).toBe(NameMark.Content);
  });
});

describe('TAG_FLAGS', () => {
  it('answers in one lookup what the tag sets say', () => {
    for (const tag of SKIPPED_TAGS) expect(TAG_FLAGS.get(tag)! & TAG_SKIP).toBe(TAG_SKIP);
    for (const tag of BLOCK_TAGS) expect(TAG_FLAGS.get(tag)! & TAG_BLOCK).toBe(TAG_BLOCK);
    expect(TAG_FLAGS.get('footer')! & TAG_FURNITURE).toBe(TAG_FURNITURE);
    expect(TAG_FLAGS.get('span')).toBeUndefined();
    expect(TAG_FLAGS.get('p')! & TAG_SKIP).toBe(0);
  });
});
