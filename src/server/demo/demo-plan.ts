/**
 * Plans the demo workspace "Demo Co" (SPEC §10) in memory: the workspace with its users, API
 * key, webhook endpoint, agents and campaigns, 300 contacts across time zones, then the Do Not
 * Call stories, ~600 follow-ups and ~1,500 calls (each step in its own demo-*.ts file). Pure:
 * the seed and `now` decide every row and id, and the steps run in a fixed order because they
 * share one random generator.
 */

import { DEV_INBOX_URL } from '../../contracts/webhook-endpoints.contract.ts';
import { type CallingWindowPolicy, DEFAULT_CALLING_WINDOW } from '../../core/calling-window.ts';
import { DEFAULT_OUTCOME_RULES, type OutcomeRule } from '../../core/outcome-rules.ts';
import type { Role } from '../../core/roles.ts';
import { normalizePhone, resolveTimeZone } from '../../core/time-zone.ts';
import { callRow, planBackgroundCalls } from './demo-calls.ts';
import { planDncStories } from './demo-dnc.ts';
import { planFollowUps } from './demo-follow-ups.ts';
import {
  DAY,
  type DemoRows,
  type DemoState,
  EXPIRY_HOURS,
  HOUR,
  iso,
  MIN,
  type PlanDemoInput,
  RETRY_SCHEDULE,
  WORKSPACE_ZONE,
} from './demo-model.ts';
import { COMPANIES, EMAIL_DOMAINS, emailLocalPart, FIRST_NAMES, LAST_NAMES } from './names.ts';
import { PHONE_PLANS } from './phone-plans.ts';
import { createRng, seededId } from './random.ts';

export function planDemo(input: PlanDemoInput): DemoRows {
  const demo = createDemo(input);
  planCampaigns(demo);
  planContacts(demo, 300);
  planDncStories(demo);
  planFollowUps(demo, 600);
  planBackgroundCalls(demo, 1500);
  demo.rows.callLogs = demo.calls.map((c) => callRow(demo, c));
  planDevInbox(demo);
  return demo.rows;
}

/**
 * The default endpoint: the development inbox built into the product, so that the demo's
 * webhook follow-ups succeed without a network (planned last: the other rows stay as they were).
 */
function planDevInbox(demo: DemoState): void {
  const at = demo.now - 59 * DAY + MIN;
  demo.rows.webhookEndpoints.push({
    id: seededId(at, demo.rng),
    workspaceId: demo.wsId,
    url: DEV_INBOX_URL,
    secret: '',
    description:
      'Development inbox built into Followthrough: receives the demo’s webhooks without a ' +
      'network and checks their signatures (see its deliveries)',
    active: true,
    isDefault: true,
    createdAt: new Date(at),
  });
}

/** The workspace with its users, API key, webhook endpoint and agents; nothing else yet. */
function createDemo(input: PlanDemoInput): DemoState {
  const rng = createRng(input.seed);
  const now = Math.floor(input.now.getTime() / MIN) * MIN;
  const r = rng;
  const born = now - 210 * DAY;
  const wsId = seededId(born, r);
  const ids = { agents: [0, 1, 2, 3].map((i) => seededId(born + i * HOUR, r)) };
  const defaultAgentId = ids.agents[0]!;
  const domain = input.adminEmail.split('@')[1] ?? 'example.com';
  const user = (i: number, name: string, email: string, role: Role) => ({
    id: seededId(born + DAY + i * MIN, r),
    workspaceId: wsId,
    email,
    name,
    passwordHash: input.passwordHash,
    role,
    createdAt: new Date(born + DAY + i * MIN),
  });
  const users = [
    user(0, 'Demo Admin', input.adminEmail, 'admin'),
    user(1, 'Demo Operator', `operator@${domain}`, 'operator'),
    user(2, 'Demo Viewer', `viewer@${domain}`, 'viewer'),
  ];
  const apiKeyId = seededId(now - 60 * DAY, r);
  const rows: DemoRows = {
    workspace: {
      id: wsId,
      name: input.workspaceName,
      timezone: WORKSPACE_ZONE,
      callingWindow: DEFAULT_CALLING_WINDOW,
      retryScheduleMinutes: [...RETRY_SCHEDULE],
      defaultExpiryHours: EXPIRY_HOURS,
      defaultAgentId,
      outcomeRules: DEFAULT_OUTCOME_RULES,
      createdAt: new Date(born),
      updatedAt: new Date(born),
    },
    users,
    apiKeys: [
      {
        id: apiKeyId,
        workspaceId: wsId,
        name: 'CRM sync',
        role: 'operator',
        prefix: `ft_${r.hex(8)}`,
        secretHash: '',
        createdByUserId: users[0]!.id,
        lastUsedAt: new Date(now - r.int(5, 300) * MIN),
        createdAt: new Date(now - 60 * DAY),
      },
    ],
    webhookEndpoints: [
      {
        id: seededId(now - 59 * DAY, r),
        workspaceId: wsId,
        url: 'https://hooks.example.com/followthrough/demo',
        secret: '',
        // An example only: the name does not resolve, so it is off. Until an endpoint is
        // active, webhook follow-ups fail saying the workspace has no active endpoint.
        description: 'CRM automation (example: point it at your receiver, then activate it)',
        active: false,
        isDefault: false,
        createdAt: new Date(now - 59 * DAY),
      },
    ],
    agents: [],
    campaigns: [],
    contacts: [],
    dncEntries: [],
    callLogs: [],
    followUps: [],
    events: [],
    attempts: [],
  };
  const demo: DemoState = {
    rng,
    now,
    wsId,
    rows,
    people: [],
    campaigns: [],
    activeAgents: [],
    agentCapacity: new Map(),
    agentLoad: new Map(),
    openKeys: new Set(),
    calls: [],
    users: {
      admin: { type: 'user', id: users[0]!.id },
      operator: { type: 'user', id: users[1]!.id },
    },
    apiKey: { type: 'api_key', id: apiKeyId },
    defaultAgentId,
  };
  planAgents(demo, ids.agents, born);
  return demo;
}

// --- workspace setup -------------------------------------------------------------------------

function planAgents(demo: DemoState, ids: string[], born: number): void {
  const specs = [
    ['Ava – Renewals', 'Renewal reminders and upgrade offers for existing customers.', 5],
    ['Max – Onboarding', 'Welcome calls and onboarding check-ins in English, French, German.', 8],
    ['Leo – Collections', 'Friendly reminders about overdue invoices.', 3],
    ['Iris – Win-back', 'Win-back offers for former customers; retired after the spring.', 2],
  ] as const;
  specs.forEach(([name, description, capacity], i) => {
    const id = ids[i]!;
    const active = i < 3;
    demo.rows.agents.push({
      id,
      workspaceId: demo.wsId,
      name,
      description,
      status: active ? 'active' : 'inactive',
      maxConcurrentCalls: capacity,
      isDefault: i === 0,
      createdAt: new Date(born + i * HOUR),
      updatedAt: new Date(active ? born + i * HOUR : demo.now - 20 * DAY),
    });
    demo.agentCapacity.set(id, capacity);
    if (active) demo.activeAgents.push([id, [45, 35, 20][i]!]);
  });
}

function planCampaigns(demo: DemoState): void {
  const [ava, max, , iris] = demo.rows.agents.map((a) => a.id!) as [string, ...string[]];
  const year = new Date(demo.now).getUTCFullYear();
  const emeaWindow: CallingWindowPolicy = {
    weekly: {
      monday: [
        { start: '08:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      tuesday: [
        { start: '08:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      wednesday: [
        { start: '08:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      thursday: [
        { start: '08:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      friday: [{ start: '08:30', end: '13:00' }],
      saturday: [],
      sunday: [],
    },
    closedDates: [`${year}-12-25`, `${year}-12-26`, `${year + 1}-01-01`],
  };
  const callback: OutcomeRule = {
    outcome: 'callback_requested',
    type: 'call',
    delayMinutes: null,
    maxAttempts: 3,
    priority: 'high',
  };
  const specs = [
    {
      name: 'Q3 Renewals',
      agentId: ava,
      status: 'running',
      timezone: null,
      window: null,
      days: 45,
      continents: null,
      rules: [
        callback,
        {
          outcome: 'voicemail',
          type: 'call',
          delayMinutes: 1440,
          maxAttempts: 2,
          priority: 'normal',
        },
        {
          outcome: 'no_answer',
          type: 'call',
          delayMinutes: 240,
          maxAttempts: 3,
          priority: 'normal',
        },
      ],
    },
    {
      name: 'EMEA Onboarding',
      agentId: max!,
      status: 'paused',
      timezone: 'Europe/London',
      window: emeaWindow,
      days: 35,
      continents: ['europe'],
      rules: [
        { ...callback, priority: 'normal' },
        {
          outcome: 'no_answer',
          type: 'sms',
          delayMinutes: 30,
          maxAttempts: 1,
          priority: 'normal',
        },
      ],
    },
    {
      name: 'Spring Win-back',
      agentId: iris!,
      status: 'completed',
      timezone: null,
      window: null,
      days: 90,
      continents: ['north_america', 'oceania'],
      rules: [
        {
          outcome: 'not_interested',
          type: 'webhook',
          delayMinutes: 0,
          maxAttempts: 3,
          priority: 'low',
        },
        { outcome: 'voicemail', type: 'sms', delayMinutes: 60, maxAttempts: 1, priority: 'low' },
      ],
    },
  ] as const;
  for (const spec of specs) {
    const id = seededId(demo.now - spec.days * DAY, demo.rng);
    const rules = spec.rules.map((rule) => ({ ...rule })) as OutcomeRule[];
    demo.rows.campaigns.push({
      id,
      workspaceId: demo.wsId,
      name: spec.name,
      agentId: spec.agentId,
      status: spec.status,
      timezone: spec.timezone,
      callingWindow: spec.window,
      outcomeRules: rules,
      createdAt: new Date(demo.now - spec.days * DAY),
      updatedAt: new Date(demo.now - Math.floor(spec.days / 3) * DAY),
    });
    demo.campaigns.push({
      id,
      agentId: spec.agentId,
      policy: spec.window ?? DEFAULT_CALLING_WINDOW,
      rules,
      open: spec.status !== 'completed',
      continents: spec.continents,
    });
  }
}

function planContacts(demo: DemoState, count: number): void {
  const r = demo.rng;
  const phones = new Set<string>();
  const plans = PHONE_PLANS.map((p) => [p, p.weight] as const);
  for (let i = 0; i < count; i++) {
    // Every zone at least once, then by weight.
    const plan = PHONE_PLANS[i] ?? r.weighted(plans);
    let phone = '';
    do {
      phone = r.pick(plan.prefixes);
      for (let d = 0; d < plan.digits; d++) phone += String(r.int(0, 9));
    } while (phones.has(phone) || normalizePhone(phone) !== phone);
    phones.add(phone);
    const timezone = r.chance(plan.inferable ? 0.18 : 0.04) ? null : plan.zone;
    const zone = resolveTimeZone({
      contactTimezone: timezone,
      phone,
      workspaceTimezone: WORKSPACE_ZONE,
    }).timezone;
    const named = r.chance(0.98);
    const first = r.pick(FIRST_NAMES[plan.region]);
    const last = r.pick(LAST_NAMES[plan.region]);
    const company = r.chance(0.75) ? r.pick(COMPANIES) : null;
    const domain = company
      ? `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com`
      : r.pick(EMAIL_DOMAINS);
    const createdAt = demo.now - r.int(35, 200) * DAY - r.int(0, DAY / 1000) * 1000;
    const id = seededId(createdAt, r);
    demo.rows.contacts.push({
      id,
      workspaceId: demo.wsId,
      firstName: named ? first : null,
      lastName: named ? last : null,
      phone,
      email: named && r.chance(0.85) ? `${emailLocalPart(first, last)}@${domain}` : null,
      company,
      timezone,
      customFields: customFields(demo, plan.region),
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt + r.int(0, 30) * DAY),
    });
    const weight = 0.15 + r.next() ** 2 * 3;
    demo.people.push({ id, phone, zone, continent: plan.continent, weight, dncAt: null });
  }
}

function customFields(demo: DemoState, region: string): Record<string, unknown> {
  const r = demo.rng;
  if (!r.chance(0.55)) return {};
  const fields: Record<string, unknown> = {};
  if (r.chance(0.8)) fields.plan = r.pick(['Starter', 'Pro', 'Business', 'Enterprise']);
  if (r.chance(0.5)) fields.seats = r.pick([3, 5, 10, 20, 25, 50, 120]);
  if (r.chance(0.6)) fields.accountId = `AC-${r.int(10000, 99999)}`;
  if (r.chance(0.4)) {
    fields.renewalDate = iso(demo.now + r.int(5, 150) * DAY).slice(0, 10);
  }
  if (region !== 'en' && r.chance(0.7)) fields.language = region;
  if (r.chance(0.2)) fields.leadSource = r.pick(['Webinar', 'Referral', 'Trade show', 'Website']);
  return fields;
}
