// Package schedule plans touch requests into joint visits: the fewest
// visits per enterprise within the requests' windows, the enterprise's quiet
// windows and caps, and the commissioners' daily capacity. It is pure — no
// database, no clock — so that package touch reads the problem from the
// database, calls Solve, and stores the plan.
//
// Solve is pure: it takes a Problem (the on-site requests, the
// enterprises' rules, the commissioners' capacity, a calendar) and returns a
// Plan, without a database. It works in three steps.
//
//  1. Per enterprise, the fewest visits covering its on-site requests due in
//     the horizon. A request may be visited on the working days of its
//     window, less the enterprise's quiet days unless the request is exempt
//     (complaint, accident, safety, statutory deadline, campaign). When all
//     of an enterprise's requests may use the same days, this is interval
//     stabbing: sort by the last permitted day, and place a visit on the last
//     permitted day of the first request not yet covered. Each visit is
//     placed as late as the request that forced it allows, so no other
//     choice covers more of the requests still open; the requests that force
//     visits have pairwise disjoint windows, so any plan needs as many
//     visits. O(n log n). When exempt requests may use quiet days that the
//     others may not, the permitted days differ between requests and the
//     greedy choice is no longer safe; a dynamic programme over the few
//     candidate days (each request's last permitted day, and an exempt
//     request's last open day) finds the minimum instead, per group of
//     overlapping windows.
//  2. Caps. A visit carrying any non-exempt request is routine and counts
//     against the enterprise's monthly and yearly caps, with the routine
//     visits already booked; a visit of exempt requests only does not, and
//     is flagged when it breaks a quiet window or exceeds a cap. Routine
//     visits are given months by a small maximum flow (visit → month →
//     year). A visit left without a month gives its requests to other
//     visits or to visits of their own where the caps allow; when that
//     fails without a proof that it must, the routine requests are planned
//     again month by month with the caps in view (replanRoutine), which
//     finds the fewest visits within the caps whenever any plan exists. A
//     request refused is refused with the proof: a span of months whose
//     remaining allowance is smaller than a set of pairwise disjoint
//     requests that must all be visited in it.
//  3. Capacity. Each commissioner holds at most so many visits a day. Visits
//     are placed latest-first (earliest deadline first, run backwards from
//     the end of the horizon, so that a visit keeps the day the cover chose
//     when it can); a visit that finds no day is placed by an augmenting
//     path that moves other visits (exact, as bipartite matching), and
//     failing that its requests are split onto other visits or visits of
//     their own, and what still finds no day is refused for capacity.
//
// The plan's lower bound is the sum of the per-enterprise minima over the
// requests it serves; the visits beyond it are the price of the
// commissioners' capacity, reported as the gap.
package schedule
