// Writes USE's SentencePiece vocabulary as a tokenizer.json in the Hugging Face / transformers.js
// Unigram format, which our own tokenizer (lib/tokenizer.ts) reads too.
//
// The vocabulary shipped with the npm package has three defects this file repairs or works
// around, each chosen so that tokenisation keeps giving USE's own ids:
// - seven colon pieces (":", "://", "▁:", "▁:)", "▁:(", "):", "▁:-)") have a null score;
//   USE's JS tokenizer adds that null to a number, i.e. treats it as 0, so 0 is written.
//   (":30" even has +30 and ":00" has 0; they are kept: that is what USE computes with.)
// - ids 1-5 (<s>, </s>, extra_token_id_*) are reserved: USE never matches them in text. They
//   get a space appended; normalisation turns every space into "▁", so they can never match.
// - "”5" appears three times; as in USE, the last id wins (a later Map entry replaces an
//   earlier one), so nothing needs changing.

export const SEPARATOR = '\u2581';
export const RESERVED_IDS = 6; // 0 = unk, 1-5 control/user symbols

/** @param {[string, number | null][]} vocab USE's vocab.json */
export function buildTokenizerJson(vocab) {
  const pieces = vocab.map(([piece, score], id) => {
    const usable = id === 0 || id >= RESERVED_IDS ? piece : `${piece} `;
    return [usable, typeof score === 'number' && Number.isFinite(score) ? score : 0];
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    // USE: NFKC, then every ASCII space -> "▁", then one "▁" in front of non-empty text.
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Replace', pattern: { String: ' ' }, content: SEPARATOR },
        { type: 'Prepend', prepend: SEPARATOR },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: SEPARATOR, prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false },
  };
}
