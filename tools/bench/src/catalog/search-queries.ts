// What students type: field names, places, groups, phrases, exclusions,
// typos, with the filters and sorts of a results page. Varied on purpose, so
// the benchmark measures the search, not one cached answer.

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
const SORTS = ['', '&sort=deadline', '&sort=amount', '&sort=newest'];
const FILTERS = ['', '', '', '&state=TX', '&level=undergraduate', '&minAmount=100000', '&renewable=true', '&essay=false', '&gpa=3.2', '&level=graduate&state=CA'];

/** Deterministic mix (index-driven), so two runs send the same requests. */
export function searchPath(index: number): string {
  const pick = <T>(items: readonly T[], salt: number): T => items[(index * 7919 + salt * 104729) % items.length]!;
  const shape = index % 10;
  let q: string;
  if (shape < 3) q = pick(WORDS, 1);
  else if (shape < 5) q = `${pick(WORDS, 2)} ${pick(PLACES, 3)}`;
  else if (shape < 6) q = `${pick(GROUPS, 4)} ${pick(WORDS, 5)}`;
  else if (shape < 7) q = `${pick(EXTRAS, 6)} ${pick(WORDS, 7)}`;
  else if (shape < 8) q = pick(TYPOS, 8);
  else if (shape < 9) q = `"${pick(WORDS, 9)}" -essay`;
  else q = `${pick(NAMES, 10)} ${pick(EXTRAS, 11)}`;
  return `/v1/search?q=${encodeURIComponent(q)}${pick(SORTS, 12)}${pick(FILTERS, 13)}`;
}
