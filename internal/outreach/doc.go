// Package outreach takes what matching found to the enterprise and follows it
// to the money received (政策礼包, 精准推送): benefit packages, the channels
// that carry them, the durable outbox, and what came of each offer.
//
// # Packages
//
// Build turns eligible match results into packages, one per enterprise: each
// policy with its amount, why the enterprise qualifies, what to do (confirm
// the intention for an automatic benefit; the materials and where to apply
// for the others) and the deadline. A result becomes an offer when it is new,
// or when its policy version or its amount changed since it was last
// offered; the same result is never offered twice, whatever happened to the
// first offer. Offers wait in a draft package per enterprise until an officer
// approves it; the offers of policies marked for automatic sending go out in
// a package of their own at once.
//
// # The outbox
//
// Approving a package writes one delivery per channel the liaison chose (the
// portal inbox always), in the same transaction: outreach_deliveries is a
// transactional outbox. A relay then puts each pending delivery into River's
// job queue, unique by the delivery's id, so that a relay repeated after a
// crash adds no second job. The worker sends the delivery and marks it sent;
// a delivery already sent is skipped, so a job run twice (River delivers at
// least once) sends once. The one window left is a crash after the message
// left and before the mark: the message then goes again, carrying the same
// idempotency key (the e-mail's Message-ID, the key in a webhook's text) for
// the receiver to drop. Failures are retried with exponential backoff; a
// delivery whose retries are spent is dead, listed for officers, who may send
// it again.
//
// Each channel has its own queue, so that a channel that is not configured
// (no SMTP server given) holds its deliveries back instead of failing them.
//
// # Tracking
//
// A package is draft → approved → delivered (a channel delivered it) → read
// (the liaison opened it in the portal), or withdrawn. Each offer is offered
// → confirmed (an automatic benefit) or applied → granted (the amount
// actually received, and when), or declined with a reason. The liaison
// answers in the portal; officers record grants one by one or by importing a
// file. Report sums what was pushed, confirmed and granted by policy, channel
// and month.
package outreach
