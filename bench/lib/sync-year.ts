/**
 * A simulated year of one learner reading on two devices, as the synced events it produces
 * (lib/sync-log.ts), day by day: about 30 pages a day, each giving one or two relevance
 * labels (the paragraph's 512-dimension embedding and its text); a few saved snippets and
 * the cards they make; explicit word marks; every due card reviewed (FSRS, 20 new cards a
 * day at most, as the review page does); now and then a card edited, suspended or deleted,
 * an answer undone, a setting changed.
 *
 * Text is drawn word by word from a Zipf-distributed vocabulary of made-up words, so it
 * compresses roughly like prose rather than like repeated text; embeddings are random unit
 * vectors, which compress hardly at all (the honest worst case for the bytes).
 */
import { seededRandom } from '../../lib/random';
import { cardsFromSnippet, createScheduler, dueCards, type ReviewCard, type ReviewRating } from '../../lib/review';
import { createSnippet } from '../../lib/snippet';
import { packEmbedding } from '../../lib/sync-embedding';
import type { SyncEvent } from '../../lib/sync-log';

export const DAY_MS = 24 * 3600_000;
const DIMS = 512;
const VOCABULARY = 4000;
const NEW_CARDS_PER_DAY = 20;

export interface YearOptions {
  readonly days: number;
  readonly pagesPerDay: number;
  readonly devices: readonly string[];
  readonly start: number;
  readonly seed: number;
}

/** What one device did on one day. */
export interface DeviceDay {
  readonly day: number;
  readonly device: string;
  readonly events: SyncEvent[];
}

export function* simulateYear(options: YearOptions): Generator<DeviceDay[]> {
  const random = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'ber', 'din', 'ges', 'hal', 'ment', 'ung', 'ter', 'lich', 'schaft', 'ion'];
  const words = Array.from({ length: VOCABULARY }, (_, i) => {
    let w = '';
    for (let n = 1 + (i % 3) + Math.floor(random() * 2); n > 0; n--) w += pick(syllables);
    return w + (i % 7);
  });
  // Zipf: rank r drawn with probability ~ 1/r.
  const zipf = () => words[Math.min(VOCABULARY - 1, Math.floor(Math.exp(random() * Math.log(VOCABULARY + 1)) - 1))]!;
  const sentence = () => {
    const n = 6 + Math.floor(random() * 14);
    const ws = Array.from({ length: n }, zipf);
    ws[0] = ws[0]![0]!.toUpperCase() + ws[0]!.slice(1);
    return ws.join(' ') + '.';
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(' ');
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const embedding = () => {
    const v = Float32Array.from({ length: DIMS }, gaussian);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };

  const scheduler = createScheduler();
  const cards = new Map<string, ReviewCard>();
  let counter = 0;
  const nextId = (device: string) => `${device}-${(++counter).toString(36)}`;
  const lastReviews: { id: string; device: string }[] = [];

  for (let day = 0; day < options.days; day++) {
    const byDevice = new Map<string, SyncEvent[]>(options.devices.map((d) => [d, []]));
    const dayStart = options.start + day * DAY_MS;
    // Reading hours: 8:00 to 22:00.
    const moment = () => dayStart + 8 * 3600_000 + Math.floor(random() * 14 * 3600_000);
    const emit = (device: string, make: (id: string, at: number) => SyncEvent) => byDevice.get(device)!.push(make(nextId(device), moment()));

    for (let page = 0; page < options.pagesPerDay; page++) {
      const device = pick(options.devices);
      const labels = 1 + (random() < 0.5 ? 1 : 0);
      for (let l = 0; l < labels; l++) {
        const text = paragraph();
        emit(device, (id, at) => ({ id, device, at, kind: 'example', paragraphId: `p-${id}`, encoderId: 'use-lite-int8', ...packEmbedding(embedding()), label: random() < 0.3 ? 1 : 0, weight: random() < 0.2 ? 1 : 0.3, text }));
      }
      // One page in ten is worth saving a passage from, with one or two words marked.
      if (random() < 0.1) {
        const passage = paragraph().slice(0, 900);
        const tokens = passage.split(/[\s.]+/).filter((w) => w.length > 3);
        const marks = random() < 0.2 ? [] : [...new Set([pick(tokens), ...(random() < 0.4 ? [pick(tokens)] : [])])];
        const at = moment();
        const snippet = createSnippet({ passage, marks, url: `https://news.example.org/${day}/${page}`, title: `Article ${day}-${page}`, lang: 'de', createdAt: at });
        byDevice.get(device)!.push({ id: nextId(device), device, at, kind: 'snippet', snippet });
        for (const card of cardsFromSnippet(snippet, at)) {
          if (cards.has(card.id)) continue;
          cards.set(card.id, card);
          byDevice.get(device)!.push({ id: nextId(device), device, at, kind: 'card', card });
        }
      }
      // Words marked known (or learning) from the page.
      const marksOnPage = Math.floor(random() * 1.4);
      for (let m = 0; m < marksOnPage; m++) {
        const w = zipf();
        emit(device, (id, at) => ({ id, device, at, kind: 'word', key: w, form: w, state: random() < 0.7 ? 'known' : 'learning' }));
      }
    }

    // The day's reviews, on one device, in the evening.
    const reviewer = pick(options.devices);
    let at = dayStart + 20 * 3600_000;
    for (const card of dueCards([...cards.values()], at, { newLimit: NEW_CARDS_PER_DAY })) {
      at += 5_000 + Math.floor(random() * 20_000);
      const r = random();
      const rating: ReviewRating = r < 0.1 ? 1 : r < 0.2 ? 2 : r < 0.9 ? 3 : 4;
      const durationMs = 3_000 + Math.floor(random() * 15_000);
      const id = nextId(reviewer);
      byDevice.get(reviewer)!.push({ id, device: reviewer, at, kind: 'review', cardId: card.id, rating, durationMs });
      cards.set(card.id, scheduler.rate(card, rating, at, durationMs).card);
      lastReviews.push({ id, device: reviewer });
    }
    if (lastReviews.length > 50) lastReviews.splice(0, lastReviews.length - 50);
    // Once a week an answer is undone (the generator's own schedule ignores it: the merge does not).
    if (day % 7 === 3 && lastReviews.length > 0) {
      const undone = lastReviews.pop()!;
      byDevice.get(undone.device)!.push({ id: nextId(undone.device), device: undone.device, at: at + 1000, kind: 'review-undo', reviewId: undone.id });
    }
    // Every third day a card's note is edited or it is suspended; every fortnight one is deleted.
    const all = [...cards.values()];
    if (day % 3 === 1 && all.length > 0) {
      const card = pick(all);
      const device = pick(options.devices);
      const edited = { ...card, note: sentence().slice(0, 200), suspended: random() < 0.2, updatedAt: moment() };
      cards.set(card.id, edited);
      byDevice.get(device)!.push({ id: nextId(device), device, at: edited.updatedAt, kind: 'card', card: edited });
    }
    if (day % 14 === 9 && all.length > 0) {
      const card = pick(all);
      cards.delete(card.id);
      const device = pick(options.devices);
      emit(device, (id, at2) => ({ id, device, at: at2, kind: 'card-delete', cardId: card.id }));
    }
    if (day % 7 === 5) {
      const device = pick(options.devices);
      const field = pick(['dailyMinutes', 'highlightDensity', 'desiredRetention']);
      const value = field === 'dailyMinutes' ? 10 + Math.floor(random() * 50) : field === 'highlightDensity' ? pick(['few', 'normal', 'many']) : 0.85 + random() * 0.1;
      emit(device, (id, at2) => ({ id, device, at: at2, kind: 'setting', field, value }));
    }
    yield options.devices.map((device) => ({ day, device, events: byDevice.get(device)!.sort((a, b) => a.at - b.at) }));
  }
}
