/**
 * When each planned invoice moved through circulation, and by whom: office hours, the people
 * of each stage, document numbers in posting order. Part of demo-plan.ts.
 */
import {
  addDays,
  at,
  dateOf,
  isWeekend,
  nextWeekday,
  officeTime,
  plusMinutes,
  Rng,
  yearOf,
} from './demo-random.js';
import type { DemoClock, OrgCtx, PlanInvoice } from './demo-plan-types.js';

const HOUR = 60;

/** The moment itself during office hours (06-15 UTC, Mon-Fri), else early in the next working day. */
function officeHours(moment: Date): Date {
  const day = dateOf(moment);
  const h = moment.getUTCHours();
  const m = moment.getUTCMinutes();
  const sec = moment.getUTCSeconds();
  if (h < 6) return at(nextWeekday(day), 6 + (m % 3), m, sec);
  if (h >= 15) return at(nextWeekday(addDays(day, 1)), 6 + (m % 3), m, sec);
  if (isWeekend(day)) return at(nextWeekday(day), h, m, sec);
  return moment;
}

/** Who does what: approvers inspect and approve, the accountant codes and checks. */
function pickUser(
  rng: Rng,
  org: OrgCtx,
  role: 'coder' | 'inspector' | 'approver' | 'checker',
): string {
  const u = org.users;
  switch (role) {
    case 'coder':
      return rng.chance(0.88) ? u.accountant : u.admin;
    case 'inspector':
      return rng.chance(0.8) ? u.approver : u.admin;
    case 'approver':
      return rng.chance(0.9) ? u.approver : u.admin;
    case 'checker':
      return rng.chance(0.85) ? u.accountant : u.admin;
  }
}

/** Creates the invoice's circulation events up to its target state, all before the cutoff. */
export function buildTimeline(
  rng: Rng,
  org: OrgCtx,
  clock: DemoClock,
  autoSince: Date | null,
  inv: PlanInvoice,
) {
  if (inv.duplicateOf) return; // timed by linkDuplicates
  const yesterday = addDays(clock.today, -1);
  let arrival = addDays(inv.billDate, rng.int(0, 2));
  if (arrival > yesterday) arrival = yesterday;
  inv.createdAt = officeTime(rng, arrival);
  if (!rng.chance(0.78)) inv.createdBy = { kind: 'user', userId: pickUser(rng, org, 'coder') };
  const stageRoles = ['inspector', 'approver', 'checker'] as const;
  const stageRole = (k: number) =>
    k === org.stages.length - 1 ? 'checker' : stageRoles[Math.min(k, 1)];

  // Offsets in minutes from createdAt, then fitted before the cutoff.
  const steps: Array<{
    kind: 'coded' | 'posted' | 'sent' | 'save' | 'reject' | 'remove';
    stage?: number;
    offset: number;
    by: string;
  }> = [];
  let t = 0;
  const add = (
    kind: (typeof steps)[number]['kind'],
    minutes: number,
    by: string,
    stage?: number,
  ) => {
    t += minutes;
    steps.push({ kind, stage, offset: t, by });
  };
  const coder = pickUser(rng, org, 'coder');
  const target = inv.target;
  if (target === 'DRAFT' || target === 'REMOVED_DRAFT') {
    if (inv.coded) add('coded', rng.int(1 * HOUR, 20 * HOUR), coder);
  } else {
    add('coded', rng.int(1 * HOUR, 30 * HOUR), coder);
    add('posted', rng.int(1, 25), coder);
    add('sent', rng.int(1, 6), coder);
    const lastStage = org.stages.length - 1;
    const saved =
      target === 'DONE'
        ? lastStage + 1
        : target === 'STAGE' || target === 'REJECTED' || target === 'REMOVED_POSTED'
          ? inv.stage
          : 0;
    for (let k = 0; k < saved; k++) {
      const wait =
        k === 1 && rng.chance(0.06)
          ? rng.int(8, 30) * 24 * HOUR
          : rng.int(2 * HOUR, (k === lastStage ? 40 : 70) * HOUR);
      add('save', wait, pickUser(rng, org, stageRole(k)), k);
    }
    if (target === 'REJECTED')
      add(
        'reject',
        rng.int(2 * HOUR, 60 * HOUR),
        pickUser(rng, org, stageRole(inv.stage)),
        inv.stage,
      );
    if (target === 'REMOVED_POSTED')
      add('remove', rng.int(1 * HOUR, 30 * HOUR), org.users.accountant);
  }

  // Late invoices waited at stage 1 until after the lock date was set (and, where transfer is
  // automatic, after it was switched on), yet early enough for an export run to follow.
  if (inv.late) {
    const save1 = steps.find((s) => s.kind === 'save' && s.stage === 1);
    if (save1) {
      const from = Math.max(clock.lockMoment.getTime() + 86_400_000, autoSince?.getTime() ?? 0);
      const to = clock.cutoff.getTime() - 8 * 86_400_000;
      const when = from + rng.next() * Math.max(0, to - from);
      const from1 = save1.offset;
      const shift = Math.round((when - inv.createdAt.getTime()) / 60_000) - from1;
      if (shift > 0) for (const s of steps) if (s.offset >= from1) s.offset += shift;
    }
  }

  // Everything must have happened before the cutoff (10 minutes of slack for the transfer).
  const limit = Math.floor(
    (clock.cutoff.getTime() - 20 * 60_000 - inv.createdAt.getTime()) / 60_000,
  );
  const last = steps.length ? steps[steps.length - 1].offset : 0;
  if (last > limit) {
    const f = limit / last;
    let prev = 0;
    for (const s of steps) {
      s.offset = Math.max(prev + 1, Math.floor(s.offset * f));
      prev = s.offset;
    }
  }
  // People work office hours on weekdays: nudge each step into them, keeping the order.
  const latest = clock.cutoff.getTime() - 20 * 60_000;
  let prev = inv.createdAt.getTime();
  for (const s of steps) {
    const raw = plusMinutes(inv.createdAt, s.offset);
    const snapped = officeHours(raw);
    let when = snapped.getTime() < latest ? snapped : raw;
    if (when.getTime() <= prev) when = new Date(prev + 60_000 * (1 + (s.offset % 7)));
    prev = when.getTime();
    switch (s.kind) {
      case 'coded':
        inv.codedAt = when;
        inv.codedBy = s.by;
        break;
      case 'posted':
        inv.postedAt = when;
        inv.postedBy = s.by;
        break;
      case 'sent':
        inv.sentAt = when;
        break;
      case 'save':
        inv.saves.push({ stage: s.stage!, at: when, by: s.by });
        break;
      case 'reject':
        inv.rejected = { at: when, by: s.by, reason: '' };
        break;
      case 'remove':
        inv.removed = { at: when, by: s.by };
        break;
    }
  }
}

/** Gapless document numbers per fiscal year (= calendar year of the bill date), in posting order. */
export function assignDocumentNumbers(invoices: PlanInvoice[]) {
  const posted = invoices
    .filter((i) => i.postedAt)
    .sort((a, b) => a.postedAt!.getTime() - b.postedAt!.getTime());
  const next = new Map<number, number>();
  for (const inv of posted) {
    const fy = yearOf(inv.billDate);
    const n = next.get(fy) ?? 1;
    inv.fiscalYear = fy;
    inv.documentNumber = n;
    next.set(fy, n + 1);
  }
}
