/**
 * ROC AUC with ties averaged: the probability that a random positive outscores a random
 * negative, a tie counting one half. Computed from average ranks (Mann-Whitney U), so
 * O(n log n) and exact with ties.
 */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  if (scores.length !== labels.length) throw new Error('rocAuc: scores and labels differ in length');
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    // Tied block i..j shares the average of ranks i+1..j+1.
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  labels.forEach((y, i) => {
    if (y === 1) {
      positives++;
      rankSum += ranks[i]!;
    }
  });
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

