package web

import "net/url"

// The rows of the benefit-package pages (page_outreach_*.go) in the route ×
// role table (routes_test.go). The officers' pages are the officers'; the
// realized benefits are the dashboards' readers'; the inbox and the channel
// choices are the liaison's. A package, offer or delivery that does not
// exist is not found for whoever may reach the route; who may act on one
// that exists is tested in package outreach and by page_outreach_test.go.
func init() {
	signIn := 303
	officerPage := every(403).but(200, "officer").but(signIn, "anonymous", "token")
	officerForm := func(ok int) statuses { return every(403).but(ok, "officer").but(401, "anonymous") }
	missing := every(404).but(401, "anonymous").but(403, "token")
	routeTable = append(routeTable, []routeRow{
		{pattern: "GET /outreach", method: "GET", path: "/outreach", want: officerPage},
		{pattern: "GET /outreach", method: "GET", path: "/outreach?status=all&page=2", want: officerPage},
		{pattern: "POST /outreach/build", method: "POST", path: "/outreach/build", want: officerForm(303)},
		{pattern: "GET /outreach/packages/{id}", method: "GET", path: "/outreach/packages/999999",
			want: every(403).but(404, "officer").but(signIn, "anonymous", "token")},
		{pattern: "POST /outreach/packages/{id}/approve", method: "POST", path: "/outreach/packages/999999/approve", want: missing},
		{pattern: "POST /outreach/packages/{id}/withdraw", method: "POST", path: "/outreach/packages/999999/withdraw", want: missing},
		{pattern: "POST /outreach/offers/{id}/grant", method: "POST", path: "/outreach/offers/999999/grant",
			form: url.Values{"amount": {"1000"}, "granted_on": {"2024-05-01"}}, want: missing},
		{pattern: "GET /outreach/dead", method: "GET", path: "/outreach/dead", want: officerPage},
		{pattern: "POST /outreach/deliveries/{id}/retry", method: "POST", path: "/outreach/deliveries/999999/retry", want: missing},
		{pattern: "GET /outreach/report", method: "GET", path: "/outreach/report",
			want: every(403).but(200, "officer", "leader").but(signIn, "anonymous", "token")},
		// Not a multipart upload: the officer is told to choose a file.
		{pattern: "POST /outreach/grants", method: "POST", path: "/outreach/grants", form: url.Values{"file": {"not a file"}},
			want: officerForm(422)},
		{pattern: "GET /outreach/settings", method: "GET", path: "/outreach/settings", want: officerPage},
		{pattern: "POST /outreach/settings", method: "POST", path: "/outreach/settings",
			form: url.Values{"policy": {"hnte"}, "respond_days": {"20"}, "where_zh": {"政务服务中心"}}, want: officerForm(303)},
		{pattern: "POST /outreach/settings", method: "POST", path: "/outreach/settings",
			form: url.Values{"policy": {"hnte"}, "deadline": {"next week"}}, want: officerForm(422)},

		{pattern: "GET /portal/inbox", method: "GET", path: "/portal/inbox", want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "GET /portal/inbox/{id}", method: "GET", path: "/portal/inbox/999999", want: every(403).but(404, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/offers/{id}/answer", method: "POST", path: "/portal/offers/999999/answer",
			form: url.Values{"answer": {"confirmed"}}, want: every(403).but(404, "enterprise").but(401, "anonymous")},
		{pattern: "GET /portal/contact", method: "GET", path: "/portal/contact", want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/contact", method: "POST", path: "/portal/contact",
			form: url.Values{"email": {"liaison@example.com"}, "by_email": {"1"}}, want: every(403).but(303, "enterprise").but(401, "anonymous")},
		// A liaison may name only the official robot: the server posts to it.
		{pattern: "POST /portal/contact", method: "POST", path: "/portal/contact",
			form: url.Values{"by_wecom": {"1"}, "wecom_webhook": {"http://10.0.0.1/admin"}}, want: every(403).but(422, "enterprise").but(401, "anonymous")},
	}...)
}
