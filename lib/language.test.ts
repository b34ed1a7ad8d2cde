import { describe, expect, it } from 'vitest';
import { detectLanguageByScript, dominantScript, langFitsText, resolveLanguage } from './language';

describe('detectLanguageByScript', () => {
  it.each([
    ['Москва — столица России и крупнейший город страны.', 'ru'],
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
  ])('names the language of %s', (text, lang) => {
    expect(detectLanguageByScript(text)).toBe(lang);
  });

  it('leaves Latin-script text undetermined: the script cannot tell English from French', () => {
    expect(detectLanguageByScript('The quick brown fox jumps over the lazy dog.')).toBe('und');
    expect(detectLanguageByScript('Le renard brun saute par-dessus le chien paresseux.')).toBe('und');
  });

  it('says nothing for text without letters', () => {
    expect(detectLanguageByScript('12:45 — 3.14 %')).toBe('und');
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

describe('langFitsText', () => {
  it('rejects a declared language whose script the text is clearly not in', () => {
    expect(langFitsText('en', 'Москва — столица России и крупнейший город страны.')).toBe(false);
    expect(langFitsText('en-GB', 'Москва — столица России и крупнейший город страны.')).toBe(false);
  });

  it('accepts a matching script, short text, mixed text and unknown languages', () => {
    expect(langFitsText('ru', 'Москва — столица России.')).toBe(true);
    expect(langFitsText('en', 'Да')).toBe(true);
    expect(langFitsText('en', 'Sputnik (Спутник) was launched in 1957 by the USSR.')).toBe(true);
    expect(langFitsText('x-klingon', 'Москва — столица России.')).toBe(true);
    expect(langFitsText('ja', '東京都庁舎は新宿区にある高層ビル')).toBe(true);
  });
});

describe('resolveLanguage', () => {
  it('prefers the declared language when it fits', () => {
    expect(resolveLanguage('fr', 'Le renard brun saute.')).toBe('fr');
  });

  it('falls back to the script when the declaration does not fit', () => {
    expect(resolveLanguage('en', 'Москва — столица России и крупнейший город страны.')).toBe('ru');
  });

  it('uses the fallback only when neither the page nor the script says', () => {
    expect(resolveLanguage(undefined, 'The quick brown fox.', 'en')).toBe('en');
    expect(resolveLanguage(undefined, 'The quick brown fox.')).toBe('und');
    expect(resolveLanguage(undefined, '서울은 대한민국의 수도이다.', 'en')).toBe('ko');
  });
});
