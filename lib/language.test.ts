import { describe, expect, it } from 'vitest';
import { dominantScript, languageName, latinLanguage, resolveLanguage, sameLanguage } from './language';

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

  it('leaves one short Latin-script sentence undetermined, and text without letters', () => {
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

const PARAGRAPHS: Record<string, string> = {
  en: 'The city council met on Tuesday to discuss the new bridge. Most of the members said that the project was too expensive, but the mayor argued that it would bring more visitors to the old town and help the shops that have struggled since the factory closed.',
  fr: "Le conseil municipal s'est réuni mardi pour discuter du nouveau pont. La plupart des membres ont dit que le projet était trop cher, mais le maire a soutenu qu'il attirerait plus de visiteurs dans la vieille ville et aiderait les commerces qui souffrent depuis la fermeture de l'usine.",
  it: "Il consiglio comunale si è riunito martedì per discutere del nuovo ponte. La maggior parte dei membri ha detto che il progetto era troppo caro, ma il sindaco ha sostenuto che porterebbe più visitatori nella città vecchia e aiuterebbe i negozi che sono in difficoltà dalla chiusura della fabbrica.",
  pt: 'O conselho municipal reuniu-se na terça-feira para discutir a nova ponte. A maioria dos membros disse que o projeto era caro demais, mas o prefeito defendeu que ele traria mais visitantes para a cidade velha e ajudaria as lojas que estão em dificuldade desde o fechamento da fábrica.',
  es: 'El consejo municipal se reunió el martes para discutir el nuevo puente. La mayoría de los miembros dijo que el proyecto era demasiado caro, pero el alcalde defendió que traería más visitantes a la ciudad vieja y ayudaría a las tiendas que tienen problemas desde el cierre de la fábrica.',
  de: 'Der Stadtrat traf sich am Dienstag, um über die neue Brücke zu sprechen. Die meisten Mitglieder sagten, dass das Projekt zu teuer sei, aber der Bürgermeister meinte, es werde mehr Besucher in die Altstadt bringen und den Geschäften helfen, die seit der Schließung der Fabrik kämpfen.',
  nl: 'De gemeenteraad kwam dinsdag bijeen om over de nieuwe brug te praten. De meeste leden zeiden dat het project te duur was, maar de burgemeester vond dat het meer bezoekers naar de oude stad zou brengen en de winkels zou helpen die het sinds de sluiting van de fabriek moeilijk hebben.',
};

describe('latinLanguage', () => {
  it.each(Object.entries(PARAGRAPHS))('names %s from a paragraph of it', (lang, text) => {
    expect(latinLanguage(text)).toBe(lang);
  });

  it('stays undetermined on headlines, names and lists', () => {
    expect(latinLanguage('Paris Saint-Germain 2-1 Olympique Lyonnais')).toBe('und');
    expect(latinLanguage('Home · News · Sport · Culture')).toBe('und');
    expect(latinLanguage('')).toBe('und');
  });

  it('tells English with a few French names in it from French', () => {
    expect(latinLanguage('The president of the Assemblée nationale said that the law on the Côte d’Azur was not ready, and that it would be voted on in the autumn.')).toBe('en');
  });
});

describe('resolveLanguage for Latin-script text', () => {
  it('overrules a page-wide lang="en" on a French, Italian or Portuguese paragraph', () => {
    expect(resolveLanguage('en', PARAGRAPHS.fr!)).toBe('fr');
    expect(resolveLanguage('en-US', PARAGRAPHS.it!)).toBe('it');
    expect(resolveLanguage(undefined, PARAGRAPHS.pt!)).toBe('pt');
  });

  it('keeps a declaration the text agrees with, a regional tag included', () => {
    expect(resolveLanguage('en-GB', PARAGRAPHS.en!)).toBe('en-GB');
    expect(resolveLanguage('fr-CA', PARAGRAPHS.fr!)).toBe('fr-CA');
  });

  it('leaves declarations of languages the profile does not know alone', () => {
    expect(resolveLanguage('sv', PARAGRAPHS.en!)).toBe('sv');
  });
});

describe('languageName', () => {
  it('names languages in English and falls back to the tag', () => {
    expect(languageName('fr')).toBe('French');
    expect(languageName('pt-BR')).toBe('Portuguese');
    expect(languageName('x-klingon')).toBe('x-klingon');
  });
});

describe('sameLanguage', () => {
  it('compares the primary subtags, whatever the region, script or case', () => {
    expect(sameLanguage('en-GB', 'EN')).toBe(true);
    expect(sameLanguage('zh_Hant', 'zh-CN')).toBe(true);
    expect(sameLanguage('en', 'es')).toBe(false);
  });
});
