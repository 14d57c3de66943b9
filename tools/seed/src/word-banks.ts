// Word banks for realistic listings. Names include accented spellings so that
// unaccented searches ("jose", "nunez") have something to find.

export const FIRST_NAMES = [
  'José', 'María', 'Zoë', 'Renée', 'Chloé', 'François', 'Björn', 'Inés', 'Raúl', 'Lucía', 'Siobhán', 'André',
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy',
  'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Margaret', 'Donald', 'Sandra', 'Kwame', 'Aisha', 'Hiroshi',
  'Mei', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Nguyen', 'Dakota', 'Winona', 'Malik', 'Imani', 'Esperanza',
] as const;

export const LAST_NAMES = [
  'Martínez', 'Núñez', 'Peña', 'Muñoz', 'Müller', 'Dvořák', 'Gómez', 'Rodríguez', 'Hernández', 'López', 'Pérez',
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell',
  'Okafor', 'Nakamura', 'Patel', 'Chen', 'Kim', 'Begay', 'Yazzie', "O'Connor", 'Washington', 'Jefferson',
] as const;

export const CITIES = [
  'Austin', 'Boston', 'Chicago', 'Denver', 'Houston', 'Phoenix', 'Seattle', 'Atlanta', 'Miami', 'Portland',
  'Nashville', 'Detroit', 'Cleveland', 'Omaha', 'Tulsa', 'Albuquerque', 'Sacramento', 'Richmond', 'Madison',
  'Boise', 'Des Moines', 'Savannah', 'Santa Fe', 'San José', 'Pittsburgh', 'Baltimore', 'Milwaukee', 'Lexington',
] as const;

export const COMPANIES = [
  'Acme', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Cyberdyne', 'Soylent',
  'Tyrell', 'Wonka', 'Hooli', 'Vandelay', 'Pied Piper', 'Aperture', 'Massive Dynamic', 'Gringotts', 'Monarch',
] as const;

export const ORG_PATTERNS = [
  (last: string) => `${last} Family Foundation`,
  (_: string, city: string) => `${city} Community Foundation`,
  (_: string, __: string, company: string) => `${company} Corporation`,
  (_: string, __: string, company: string) => `${company} Charitable Trust`,
  (last: string) => `The ${last} Endowment`,
  (_: string, city: string) => `Rotary Club of ${city}`,
  (_: string, city: string) => `${city} Education Fund`,
  (last: string, city: string) => `${city} ${last} Fund`,
] as const;

/** How students and professionals of a field are called in titles. */
export const FIELD_PEOPLE: Record<string, string> = {
  '51.3801': 'Nursing Students',
  '11.0701': 'Computer Science Students',
  '14.0101': 'Engineering Students',
  '52.0201': 'Business Leaders',
  '13.1202': 'Teachers',
  '13.1205': 'Teachers',
  '51.1201': 'Medical Students',
  '22.0101': 'Law Students',
  '26.0101': 'Biologists',
  '27.0101': 'Mathematicians',
  '50.0901': 'Musicians',
  '50.0701': 'Artists',
  '09.0401': 'Journalists',
  '44.0701': 'Social Workers',
  '51.2001': 'Pharmacists',
  '01.0000': 'Farmers',
  '49.0102': 'Aviators',
  '12.0500': 'Chefs',
};

export const TITLE_PATTERNS = [
  'memorial',
  'org-field',
  'state-field',
  'women',
  'first-gen',
  'future',
  'leadership',
  'community',
  'veterans',
  'excellence',
] as const;

export const OPENINGS = [
  'Established in memory of {person}, this award honors a lifelong commitment to {topic}.',
  '{org} created this scholarship to widen access to {topic} for students who show promise and persistence.',
  'Every year {org} invests in the next generation of leaders in {topic}.',
  'This scholarship began with a simple idea: no talented student should give up on {topic} because of cost.',
  'Funded by alumni and local businesses, the award supports students who give back to their communities.',
];

export const SELECTION = [
  'Recipients are selected by a committee of volunteers who review academic records, recommendations and financial circumstances.',
  'Selection is based on academic achievement, leadership, community service and a personal interview.',
  'The committee looks for applicants who have overcome obstacles and shown resilience.',
  'Finalists are invited to a short video interview in the spring.',
  'Awards are paid directly to the school and may be used for tuition, fees, books and housing.',
  'Preference is given to applicants who plan to work in underserved communities after graduation.',
];

export const ESSAY_PROMPTS = [
  'Applicants write a 500-word essay describing how their studies will help their community.',
  'The essay (up to 750 words) asks applicants to describe a challenge they overcame and what they learned.',
  'Applicants submit a personal statement on their career goals and the people who inspired them.',
];

export const RENEWAL = [
  'The award is renewable for up to four years for students who keep a 3.0 GPA and full-time enrollment.',
  'Recipients may reapply each year; renewal depends on satisfactory academic progress.',
];
