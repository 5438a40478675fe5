/**
 * Word lists for the demo data: names by region, companies, and call summaries as an AI voice
 * agent writes them after an outbound call. Pure data plus one template filler.
 */
import type { CallOutcome } from '../../../core/results.ts';
import type { Rng } from './random.ts';

export type NameRegion = 'en' | 'fr' | 'de' | 'in' | 'pt' | 'ja' | 'es';

export const FIRST_NAMES: Record<NameRegion, readonly string[]> = {
  en: [
    'James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Sophia', 'Mason', 'Isabella',
    'Lucas', 'Mia', 'Logan', 'Harper', 'Jacob', 'Amelia', 'Daniel', 'Grace', 'Ryan', 'Chloe',
    'Marcus', 'Hannah', 'Tyler', 'Zoe', 'Nathan', 'Layla', 'Caleb', 'Nora', 'Owen', 'Riley',
    'Priya', 'Kwame', 'Mei', 'Diego', 'Aisha', 'Connor', 'Fiona', 'Jack', 'Charlotte', 'Oscar',
  ],
  fr: [
    'Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Arthur', 'Manon', 'Jules', 'Inès', 'Gabriel',
    'Sarah', 'Nathan', 'Juliette', 'Théo', 'Claire', 'Antoine', 'Élise', 'Mathieu',
  ],
  de: [
    'Lukas', 'Anna', 'Felix', 'Lena', 'Jonas', 'Marie', 'Leon', 'Sophie', 'Paul', 'Laura',
    'Maximilian', 'Katharina', 'Tobias', 'Julia', 'Stefan', 'Sabine', 'Niklas', 'Miriam',
  ],
  in: [
    'Aarav', 'Ananya', 'Vihaan', 'Diya', 'Arjun', 'Isha', 'Rohan', 'Kavya', 'Rahul', 'Sneha',
    'Vikram', 'Pooja', 'Aditya', 'Neha', 'Karan', 'Meera', 'Siddharth', 'Riya',
  ],
  pt: [
    'João', 'Maria', 'Pedro', 'Ana', 'Lucas', 'Beatriz', 'Gabriel', 'Juliana', 'Rafael',
    'Larissa', 'Matheus', 'Camila', 'Thiago', 'Fernanda', 'Bruno', 'Letícia',
  ],
  ja: [
    'Haruto', 'Yui', 'Sota', 'Hina', 'Ren', 'Aoi', 'Yuto', 'Sakura', 'Kenji', 'Yuki',
    'Takumi', 'Mio', 'Daiki', 'Rin', 'Hiroshi', 'Emi',
  ],
  es: [
    'Alejandro', 'Lucía', 'Pablo', 'Sofía', 'Javier', 'Carmen', 'Daniel', 'Elena', 'Sergio',
    'Paula', 'Andrés', 'Marta', 'Diego', 'Laura',
  ],
};

export const LAST_NAMES: Record<NameRegion, readonly string[]> = {
  en: [
    'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson',
    'Taylor', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark',
    'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams',
    'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Campbell', 'Evans', 'Collins',
    "O'Brien", 'Murphy', 'Patel', 'Nguyen', 'Kim', 'Chen', 'Okafor', 'Hughes', 'Kelly',
  ],
  fr: [
    'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy',
    'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'Fournier', 'Girard',
  ],
  de: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz',
    'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Braun',
  ],
  in: [
    'Sharma', 'Verma', 'Gupta', 'Iyer', 'Reddy', 'Nair', 'Mehta', 'Kapoor', 'Singh', 'Rao',
    'Joshi', 'Banerjee', 'Desai', 'Pillai', 'Chatterjee', 'Malhotra',
  ],
  pt: [
    'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima',
    'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida',
  ],
  ja: [
    'Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura',
    'Kobayashi', 'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto',
  ],
  es: [
    'García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez',
    'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz',
  ],
};

export const COMPANIES: readonly string[] = [
  'Acme Logistics', 'Brightline Dental', 'Northwind Traders', 'Bluebird Insurance',
  'Cedar & Pine Realty', 'Summit Fitness', 'Harbor Freight Partners', 'Lumen Solar',
  'Greenfield Clinics', 'Atlas Moving Co.', 'Pioneer Auto Group', 'Crescent Hotels',
  'Redwood Accounting', 'Evergreen Landscaping', 'Silverline Telecom', 'Keystone Legal',
  'Maple Street Bakery', 'Orbit Software', 'Riverbend Veterinary', 'Copperleaf Homes',
  'Vantage Health', 'Horizon Travel', 'Ironclad Security', 'Blue Harbor Marine',
  'Quantum Analytics', 'Sunrise Senior Living', 'Tandem Bikes', 'Westgate Properties',
  'Nimbus Cloud Services', 'Oakridge Schools', 'Fjord Outdoor', 'Kite & Key Coworking',
  'Meridian Payments', 'Pinnacle Roofing', 'Saffron Kitchens', 'Tidewater Energy',
  'Urban Nest Furniture', 'Velvet Beauty', 'Wavelength Media', 'Zenith Manufacturing',
];

export const EMAIL_DOMAINS: readonly string[] = [
  'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me',
];

export const NOTES: readonly string[] = [
  'Prefers mornings; ask for the operations lead.',
  'Renewal due end of month. Mention the annual discount.',
  'Spoke to the assistant last time; decision maker is back Monday.',
  'Wants the updated quote before the call.',
  'Customer asked to be reached after work hours.',
  'Send the onboarding checklist if no answer.',
  'Follow up on the unpaid invoice politely.',
  'Interested in the enterprise tier; loop in sales if they agree.',
  'Check whether the integration issue is resolved.',
  'Confirm the appointment and the address.',
];

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
const TOPICS = [
  'pricing', 'the renewal', 'the onboarding session', 'the invoice', 'the contract terms',
  'the integration', 'the delivery date', 'the upgrade', 'the demo',
] as const;

/** Summaries per outcome; {n} is a number, {day} a weekday, {topic} a subject. */
export const SUMMARIES: Record<CallOutcome, readonly string[]> = {
  answered: [
    'Asked about pricing for {n} seats; sending a quote by email.',
    'Confirmed the renewal for another year; no changes to the plan.',
    'Walked through {topic}; customer satisfied, no further action.',
    'Booked the onboarding session for {day} morning.',
    'Customer confirmed the appointment and updated their billing address.',
    'Discussed {topic}; wants a written summary before deciding.',
    'Resolved the question about {topic}; customer will upgrade to {n} seats.',
    'Payment promised by {day}; reminder agreed.',
    'Customer reported the integration works now; closed the open ticket.',
    'Gave a short product update; customer asked for the new brochure.',
  ],
  no_answer: [
    'No answer after {n} rings.',
    'Rang out; no voicemail box configured.',
    'No answer; line rang until timeout.',
  ],
  busy: ['Line busy.', 'Busy signal on both tries.', 'Line engaged; will retry.'],
  voicemail: [
    'Reached voicemail; left a short message about {topic}.',
    'Voicemail greeting; left callback number and reference.',
    'Went to voicemail; no message left per policy.',
  ],
  failed: [
    'Call dropped before connecting (carrier error).',
    'Network error while connecting; no audio.',
    'Carrier rejected the call setup.',
  ],
  callback_requested: [
    'Asked about pricing for {n} seats; wants a callback {day}.',
    'Busy in a meeting; asked us to call back {day} afternoon.',
    'Interested in {topic}; requested a callback with the account manager.',
    'Driving; asked for a callback later today.',
    'Needs to check with their finance team; callback {day}.',
  ],
  not_interested: [
    'Not interested at this time; already using another provider.',
    'Declined the offer politely; budget frozen until next year.',
    'Not the right contact and not interested; no referral given.',
    'Said the product does not fit their needs.',
  ],
  do_not_call: [
    'Customer asked not to be called again; added to the Do Not Call list.',
    'Requested removal from all call lists.',
    'Asked to stop calling; complaint noted.',
  ],
};

export const INBOUND_SUMMARIES: readonly string[] = [
  'Inbound: customer returned our call about {topic}.',
  'Inbound: asked about their invoice; resolved on the call.',
  'Inbound: customer called back after the voicemail; discussed {topic}.',
  'Inbound: wanted to change the appointment to {day}.',
];

/** A template with its placeholders filled. */
export function fillTemplate(template: string, rng: Rng): string {
  return template
    .replaceAll('{n}', () => String(rng.pick([5, 10, 12, 15, 20, 25, 40, 50, 100])))
    .replaceAll('{day}', () => rng.pick(DAYS))
    .replaceAll('{topic}', () => rng.pick(TOPICS));
}

/** 'José Núñez' → 'jose.nunez' for an email address. */
export function emailLocalPart(first: string, last: string): string {
  return `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z.]/g, '');
}
