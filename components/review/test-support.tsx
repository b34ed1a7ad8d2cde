/**
 * What the review page's component tests share (imported by *.test.tsx only): a container in
 * the document per rendered component, removed after each test, a way to let pending promises
 * and the renders they cause finish, and the German snippet most tests review.
 */
import { render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach } from 'vitest';
import { createSnippet, type SnippetInput } from '../../lib/snippet.ts';
import { cardsFromSnippet, toReviewItem, type ReviewItem } from '../../lib/review.ts';

export const T0 = 1_700_000_000_000;

const mounted = new Set<HTMLElement>();
afterEach(() => {
  for (const container of mounted) {
    render(null, container);
    container.remove();
  }
  mounted.clear();
});

/** Lets pending promises (API calls) and the re-renders they cause finish. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await act(async () => await Promise.resolve());
}

/** Renders `node` into a new container in the document (removed after the test), then settles. */
export async function mountInBody(node: VNode, rounds = 5): Promise<HTMLElement> {
  const container = document.createElement('div');
  document.body.append(container);
  mounted.add(container);
  await act(async () => render(node, container));
  await settle(rounds);
  return container;
}

/** Three cloze cards (Katze, regnet, Hund) from one German passage, due at `T0`. */
export function snippetItems(over: Partial<SnippetInput> = {}): ReviewItem[] {
  const snippet = createSnippet({
    passage: 'Die Katze schläft auf dem Sofa. Es regnet heute. Der Hund bellt laut.',
    url: 'https://example.org/tiere',
    title: 'Tiere',
    lang: 'de',
    createdAt: T0,
    marks: ['Katze', 'regnet', 'Hund'],
    ...over,
  });
  return cardsFromSnippet(snippet, T0).map(toReviewItem);
}
