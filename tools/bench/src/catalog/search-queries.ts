// What students type: field names, places, groups, phrases, exclusions,
// typos and names, with the filters and sorts of a results page. Each URL
// rank gets its own combination; requests pick ranks from a Zipf
// distribution, as real search traffic does (a popular head, a long tail),
// so the benchmark measures the search and not one cached answer.

const WORDS = [
  'nursing', 'engineering', 'computer science', 'business', 'education', 'teacher', 'medicine', 'law', 'music', 'art',
  'biology', 'chemistry', 'physics', 'mathematics', 'psychology', 'social work', 'journalism', 'pharmacy', 'dentistry',
  'public health', 'accounting', 'finance', 'marketing', 'data science', 'cybersecurity', 'aviation', 'culinary',
  'agriculture', 'architecture', 'history', 'philosophy', 'economics', 'political science', 'theatre', 'graphic design',
  'mechanical engineering', 'civil engineering', 'electrical engineering', 'aerospace', 'kinesiology', 'statistics',
];
const PLACES = ['texas', 'california', 'florida', 'new york', 'ohio', 'georgia', 'michigan', 'illinois', 'colorado', 'oregon', 'austin', 'chicago'];
const GROUPS = ['women', 'first generation', 'veterans', 'hispanic', 'native american', 'rural', 'single parent', 'foster youth', 'lgbtq', 'disability'];
const EXTRAS = ['memorial', 'leadership', 'excellence', 'community', 'future', 'renewable', 'graduate', 'undergraduate', 'high school', 'fellowship'];
const TYPOS = ['nursng', 'enginering', 'computr science', 'psycology', 'accountng', 'jurnalism', 'farmacy', 'biologgy', 'mathematcs', 'veterns'];
const NAMES = ['jose', 'martinez', 'nunez', 'zoe', 'muller', 'garcia', 'okafor', 'chen', 'renee', 'washington'];
const SORTS = ['', '', '&sort=deadline', '&sort=amount', '&sort=newest'];
const FILTERS = ['', '', '', '&state=TX', '&state=CA', '&level=undergraduate', '&minAmount=100000', '&renewable=true', '&essay=false', '&gpa=3.2', '&level=graduate&state=NY'];

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The search URL of one popularity rank: the same rank is always the same URL. */
export function searchPath(rank: number): string {
  const random = prng(rank * 2654435761 + 17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const shape = random();
  let q: string;
  if (shape < 0.3) q = pick(WORDS);
  else if (shape < 0.5) q = `${pick(WORDS)} ${pick(PLACES)}`;
  else if (shape < 0.6) q = `${pick(GROUPS)} ${pick(WORDS)}`;
  else if (shape < 0.7) q = `${pick(EXTRAS)} ${pick(WORDS)}`;
  else if (shape < 0.8) q = pick(TYPOS);
  else if (shape < 0.9) q = `"${pick(WORDS)}" -essay`;
  else q = `${pick(NAMES)} ${pick(EXTRAS)}`;
  return `/v1/search?q=${encodeURIComponent(q)}${pick(SORTS)}${pick(FILTERS)}`;
}

/** Ranks 0 … n-1 drawn with probability ∝ 1/(rank+1)^s (Zipf), deterministic from `seed`. */
export function zipfRanks(n: number, s: number, seed: number): () => number {
  const cdf: number[] = [];
  let sum = 0;
  for (let rank = 0; rank < n; rank++) cdf.push((sum += 1 / (rank + 1) ** s));
  const random = prng(seed);
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cdf[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}
