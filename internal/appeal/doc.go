// Package appeal tracks every problem an enterprise raises (企业诉求) to its
// resolution: filing (portal, a commissioner's visit, the phone, a meeting,
// the API), routing by category to a lead department with co-handlers,
// deadlines in working hours and working days on China's official calendar
// (package workday) with the clock stopped while waiting for the enterprise,
// reminders at 50 % and 80 % of the time, escalation to the department head
// at the deadline and to the committee leader after it (督办), the reply,
// the enterprise's rating or reopening, and the measures per department,
// category and month.
//
// Service owns its SQL: every method takes the principal, decides with
// auth.Can or auth.Scope, and writes the audit entry in the transaction of
// the change.
package appeal
