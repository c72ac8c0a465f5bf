// Package auth decides who is asking and what they may see and do: user
// accounts and their passwords, server-side sessions, one-time invitation
// and reset links, login throttling, API tokens for other systems, the
// authorization decisions for every action, the scoping of enterprise data,
// and the append-only audit log.
//
// # Decisions
//
// Can is the one decision function: a Principal (who), an Action (what) and
// a Resource (on what: an enterprise, a field, a department's request).
// Every action has exactly one rule; an action without a rule, a principal
// without a role and anything a rule does not grant are denied. HTML pages,
// the JSON API and the command line call the same function.
//
// # Secrets
//
// Session cookies, API tokens and one-time links carry 256 random bits; the
// database keeps only their SHA-256, so that a leaked copy of the database
// opens no session. Passwords are hashed with argon2id in the PHC string
// format, and rehashed on login when the parameters have been raised.
package auth
