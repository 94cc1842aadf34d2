// The door's decision, as the Rust client library makes it (bitticket-client's
// `gate::admit`): whether a ticket may enter, from the accounts as decoded, and the name of
// every reason the door refuses. The API answers these names in `reason`, the CLI prints
// them; the program's `check_in` enforces the same rules on chain and has the last word.
// The names are checked against the Rust enum by tests/tests/program/interface.rs.
import { PublicKey } from '@solana/web3.js';
import type { Event, Organizer, Ticket } from './client';
import { Role } from './client';

/** Every refusal, in the Rust enum's order. */
export const REFUSALS = [
  'malformed',
  'other_organizer',
  'unknown_key',
  'forged',
  'expired',
  'not_found',
  'not_on_chain',
  'checked_in',
  'refunded',
  'holder_changed',
  'wrong_event',
  'event_cancelled',
  'outside_check_in',
  'not_a_gatekeeper',
  'already_admitted',
  'no_pass',
] as const;

export type Refusal = (typeof REFUSALS)[number];

/** What the door is asked to admit: the ticket of `mint`, of `event` of `organizer`, held
 * by `holder`, scanned by `gatekeeper` (whose role is checked when given). */
export interface Claim {
  organizer: PublicKey;
  event: PublicKey;
  mint: PublicKey;
  holder: PublicKey;
  gatekeeper?: PublicKey;
}

/** A token account as the door reads it. */
export interface Holding {
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
}

/** The accounts as read (each of its expected owner and shape, `null` otherwise) and the
 * chain's clock (unix seconds). */
export interface Seen {
  ticket: Ticket | null;
  event: Event | null;
  holderToken: Holding | null;
  organizer: Organizer | null;
  now: number;
}

/** `null` when the ticket may enter; otherwise the first reason that holds, in the Rust
 * order: no ticket, checked in, refunded, another event, another holder, the event not the
 * organizer's, cancelled, outside the check-in window, the scanner not a gatekeeper, the
 * holder's token account not holding the ticket. */
export function admit(claim: Claim, seen: Seen): Refusal | null {
  const ticket = seen.ticket;
  if (!ticket) return 'not_on_chain';
  if ('checkedIn' in ticket.state) return 'checked_in';
  if ('refunded' in ticket.state) return 'refunded';
  if (!ticket.event.equals(claim.event)) return 'wrong_event';
  if (!ticket.holder.equals(claim.holder) || !ticket.mint.equals(claim.mint)) {
    return 'holder_changed';
  }
  const event = seen.event;
  if (!event || !event.organizer.equals(claim.organizer)) return 'wrong_event';
  if (event.cancelled) return 'event_cancelled';
  const start = event.config.checkInStart.toNumber();
  const end = event.config.checkInEnd.toNumber();
  if (seen.now < start || seen.now >= end) return 'outside_check_in';
  if (claim.gatekeeper) {
    const g = claim.gatekeeper;
    const member = seen.organizer?.members.find((m) => m.key.equals(g));
    if (!member || (member.permissions & Role.GATEKEEPER) === 0) return 'not_a_gatekeeper';
  }
  const t = seen.holderToken;
  const holds = t !== null && t.mint.equals(claim.mint) && t.owner.equals(claim.holder) && t.amount === 1n;
  return holds ? null : 'holder_changed';
}
