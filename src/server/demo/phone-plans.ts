/**
 * The places demo contacts live in, with the phone numbers they have there; volume contacts
 * borrow the zones. Pure data.
 */
import type { NameRegion } from './names.ts';

export type Continent = 'north_america' | 'europe' | 'asia' | 'oceania' | 'south_america';

/**
 * Where demo contacts live: a zone, the names spoken there, and phone prefixes (country code
 * plus area or mobile prefix) that libphonenumber accepts when followed by `digits` digits.
 * `inferable`: the zone can be told from such a number (US/Canadian area code, or a country
 * with a single zone), so some of these contacts are left without a time zone.
 */
export interface PhonePlan {
  zone: string;
  continent: Continent;
  region: NameRegion;
  weight: number;
  prefixes: readonly string[];
  digits: number;
  inferable: boolean;
}

export const PHONE_PLANS: readonly PhonePlan[] = [
  {
    zone: 'America/New_York',
    continent: 'north_america',
    region: 'en',
    weight: 55,
    prefixes: ['+1212', '+1646', '+1718', '+1917', '+1617', '+1404', '+1305', '+1215'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'America/Chicago',
    continent: 'north_america',
    region: 'en',
    weight: 30,
    prefixes: ['+1312', '+1773', '+1214', '+1713', '+1512', '+1612'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'America/Denver',
    continent: 'north_america',
    region: 'en',
    weight: 12,
    prefixes: ['+1303', '+1720', '+1801'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'America/Phoenix',
    continent: 'north_america',
    region: 'en',
    weight: 6,
    prefixes: ['+1602', '+1480'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'America/Los_Angeles',
    continent: 'north_america',
    region: 'en',
    weight: 35,
    prefixes: ['+1213', '+1310', '+1415', '+1206', '+1503', '+1619'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'America/Toronto',
    continent: 'north_america',
    region: 'en',
    weight: 14,
    prefixes: ['+1416', '+1647', '+1613'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'Europe/London',
    continent: 'europe',
    region: 'en',
    weight: 30,
    prefixes: ['+442071', '+442073', '+442084', '+447911', '+447733', '+447812'],
    digits: 6,
    inferable: true,
  },
  {
    zone: 'Europe/Paris',
    continent: 'europe',
    region: 'fr',
    weight: 12,
    prefixes: ['+331', '+336', '+337'],
    digits: 8,
    inferable: true,
  },
  {
    zone: 'Europe/Berlin',
    continent: 'europe',
    region: 'de',
    weight: 12,
    prefixes: ['+4930', '+49151', '+49176'],
    digits: 8,
    inferable: true,
  },
  {
    zone: 'Europe/Madrid',
    continent: 'europe',
    region: 'es',
    weight: 6,
    prefixes: ['+346'],
    digits: 8,
    inferable: false,
  },
  {
    zone: 'Asia/Kolkata',
    continent: 'asia',
    region: 'in',
    weight: 14,
    prefixes: ['+9198', '+9199', '+9197'],
    digits: 8,
    inferable: true,
  },
  {
    zone: 'Asia/Singapore',
    continent: 'asia',
    region: 'en',
    weight: 6,
    prefixes: ['+658', '+659'],
    digits: 7,
    inferable: true,
  },
  {
    zone: 'Asia/Tokyo',
    continent: 'asia',
    region: 'ja',
    weight: 12,
    prefixes: ['+813', '+8190', '+8180'],
    digits: 8,
    inferable: true,
  },
  {
    zone: 'Australia/Sydney',
    continent: 'oceania',
    region: 'en',
    weight: 14,
    prefixes: ['+6129', '+6128', '+6141', '+6142', '+6143'],
    digits: 7,
    inferable: false,
  },
  {
    zone: 'America/Sao_Paulo',
    continent: 'south_america',
    region: 'pt',
    weight: 12,
    prefixes: ['+55119'],
    digits: 8,
    inferable: false,
  },
];
