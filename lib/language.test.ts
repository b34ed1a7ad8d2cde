import { describe, expect, it } from 'vitest';
import { dominantScript, resolveLanguage } from './language';

const RUSSIAN = 'Москва — столица России и крупнейший город страны.';

describe('dominantScript', () => {
  it('finds nothing in text without letters', () => {
    expect(dominantScript('…')).toBeUndefined();
  });

  it('counts Han letters of Japanese text as Japanese once kana appear', () => {
    const top = dominantScript('日本語の文章です');
    expect(top?.script).toBe('Kana');
    expect(top?.share).toBe(1);
  });

  it('reads astral-plane Han characters as Han', () => {
    expect(dominantScript('𠀋𠀋𠀋')?.script).toBe('Han');
  });
});

describe('resolveLanguage', () => {
  it('prefers the declared language when it fits', () => {
    expect(resolveLanguage('fr', 'Le renard brun saute.')).toBe('fr');
    expect(resolveLanguage('ru', 'Москва — столица России.')).toBe('ru');
  });

  it.each([
    [RUSSIAN, 'ru'],
    ['Київ — столиця України, її найбільше місто.', 'uk'],
    ['Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.', 'el'],
    ['ירושלים היא בירת ישראל והעיר הגדולה בה.', 'he'],
    ['القاهرة هي عاصمة مصر وأكبر مدنها.', 'ar'],
    ['تهران پایتخت ایران و بزرگ‌ترین شهر کشور است.', 'fa'],
    ['서울은 대한민국의 수도이다.', 'ko'],
    ['東京は日本の首都です。', 'ja'],
    ['北京是中华人民共和国的首都。', 'zh'],
    ['กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย', 'th'],
    ['नई दिल्ली भारत की राजधानी है।', 'hi'],
    ['თბილისი საქართველოს დედაქალაქია.', 'ka'],
  ])('names the language of %s by its script when nothing is declared', (text, lang) => {
    expect(resolveLanguage(undefined, text)).toBe(lang);
  });

  it('falls back to the script when the declaration does not fit', () => {
    expect(resolveLanguage('en', RUSSIAN)).toBe('ru');
    expect(resolveLanguage('en-GB', RUSSIAN)).toBe('ru');
  });

  it('keeps the declaration for short text, mixed text, unknown languages and Japanese in Han alone', () => {
    // Each of these would come out as the script's language if the declaration were rejected.
    expect(resolveLanguage('en', 'Да')).toBe('en');
    expect(resolveLanguage('en', 'Спутник-1 (Sputnik) запущен в 1957')).toBe('en');
    expect(resolveLanguage('en', 'Sputnik (Спутник) was launched in 1957 by the USSR.')).toBe('en');
    expect(resolveLanguage('x-klingon', 'Москва — столица России.')).toBe('x-klingon');
    expect(resolveLanguage('ja', '東京都庁舎は新宿区にある高層ビル')).toBe('ja');
  });

  it('cannot tell Latin-script languages apart, nor read text without letters', () => {
    expect(resolveLanguage(undefined, 'The quick brown fox jumps over the lazy dog.')).toBe('und');
    expect(resolveLanguage(undefined, 'Le renard brun saute par-dessus le chien paresseux.')).toBe('und');
    expect(resolveLanguage(undefined, '12:45 — 3.14 %')).toBe('und');
  });

  it('uses the fallback only when neither the page nor the script says', () => {
    expect(resolveLanguage(undefined, 'The quick brown fox.', 'en')).toBe('en');
    expect(resolveLanguage(undefined, 'The quick brown fox.')).toBe('und');
    expect(resolveLanguage(undefined, '서울은 대한민국의 수도이다.', 'en')).toBe('ko');
  });
});
