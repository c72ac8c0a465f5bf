package web

import "net/url"

// The rows of the console's and the portal's routes in the route × role
// table (routes_test.go). Pages answer an anonymous visitor, and an API
// token outside /api/ (which counts as nobody there), with a redirect to
// the sign-in page.
func init() {
	signIn := 303
	routeTable = append(routeTable, []routeRow{
		{pattern: "GET /static/{path...}", method: "GET", path: "/static/app.css", want: every(200)},
		{pattern: "GET /static/{path...}", method: "GET", path: "/static/nope.js", want: every(404)},
		{pattern: "GET /lang/{lang}", method: "GET", path: "/lang/en?next=/enterprises", want: every(303)},
		{pattern: "GET /lang/{lang}", method: "GET", path: "/lang/fr", want: every(404)},
		{pattern: "GET /{$}", method: "GET", path: "/", want: every(303)},

		{pattern: "GET /dashboard", method: "GET", path: "/dashboard", want: every(403).but(200, "officer", "leader").but(signIn, "anonymous", "token")},
		{pattern: "GET /enterprises", method: "GET", path: "/enterprises?q=企业&sort=name",
			want: every(200).but(signIn, "anonymous", "token").but(303, "enterprise")},
		{pattern: "GET /enterprises/{id}", method: "GET", path: "/enterprises/{own}",
			want: every(200).but(signIn, "anonymous", "token").but(303, "enterprise")},
		// Another park's enterprise: outside the commissioner's portfolio
		// and not the liaison's; not found, as if it did not exist.
		{pattern: "GET /enterprises/{id}", method: "GET", path: "/enterprises/{other}",
			want: every(200).but(signIn, "anonymous", "token").but(404, "enterprise", "commissioner")},
		{pattern: "GET /enterprises/{id}", method: "GET", path: "/enterprises/999999",
			want: every(404).but(signIn, "anonymous", "token")},
		// revenue is internal data of the statistics bureau: the tax
		// department may not see it.
		{pattern: "GET /enterprises/{id}/facts/{field}", method: "GET", path: "/enterprises/{own}/facts/revenue",
			want: every(200).but(signIn, "anonymous", "token").but(404, "department")},
		{pattern: "GET /enterprises/{id}/facts/{field}", method: "GET", path: "/enterprises/{other}/facts/revenue",
			want: every(200).but(signIn, "anonymous", "token").but(404, "department", "enterprise", "commissioner")},
		{pattern: "GET /enterprises/{id}/results/{policy}", method: "GET", path: "/enterprises/{own}/results/hnte",
			want: every(403).but(404, "officer", "commissioner", "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "GET /dictionary", method: "GET", path: "/dictionary", want: every(200).but(signIn, "anonymous", "token")},
		{pattern: "GET /policies", method: "GET", path: "/policies", want: every(200).but(signIn, "anonymous", "token")},
		{pattern: "GET /policies/simulate", method: "GET", path: "/policies/simulate", want: every(403).but(200, "officer").but(signIn, "anonymous", "token")},
		{pattern: "POST /policies/simulate", method: "POST", path: "/policies/simulate", form: url.Values{"on": {"2024-05-31"}},
			want: every(403).but(422, "officer").but(401, "anonymous")},
		{pattern: "GET /policies/{id}", method: "GET", path: "/policies/hnte", want: every(200).but(signIn, "anonymous", "token")},
		{pattern: "GET /policies/{id}", method: "GET", path: "/policies/no-such-policy", want: every(404).but(signIn, "anonymous", "token")},

		// Imports through the console are the zone officers' (page_import.go).
		{pattern: "GET /import", method: "GET", path: "/import", want: every(403).but(200, "officer").but(signIn, "anonymous", "token")},
		{pattern: "POST /import", method: "POST", path: "/import", form: url.Values{"files": {"not a file"}},
			want: every(403).but(422, "officer").but(401, "anonymous")},
		{pattern: "POST /import/confirm", method: "POST", path: "/import/confirm", form: url.Values{"stage": {"NOSUCHUPLOAD"}},
			want: every(403).but(409, "officer").but(401, "anonymous")},

		// The portal is the liaison's, of its own enterprise only.
		{pattern: "GET /portal", method: "GET", path: "/portal", want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "GET /portal/almost", method: "GET", path: "/portal/almost", want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "GET /portal/missing", method: "GET", path: "/portal/missing", want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/missing", method: "POST", path: "/portal/missing", form: url.Values{"f:employees:2023": {"42"}},
			want: every(403).but(303, "enterprise").but(401, "anonymous")},
		// Tax data comes from the tax bureau: the form refuses it.
		{pattern: "POST /portal/missing", method: "POST", path: "/portal/missing", form: url.Values{"f:credit_rating:2023": {"A"}},
			want: every(403).but(422, "enterprise").but(401, "anonymous")},
		{pattern: "GET /portal/results/{policy}", method: "GET", path: "/portal/results/hnte",
			want: every(403).but(404, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "GET /portal/data", method: "GET", path: "/portal/data", want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},

		// Administration.
		{pattern: "GET /admin/users", method: "GET", path: "/admin/users", want: every(403).but(200, "admin").but(signIn, "anonymous", "token")},
		{pattern: "POST /admin/users", method: "POST", path: "/admin/users",
			form: url.Values{"login": {"new-officer"}, "display_name": {"新干部"}, "role": {"officer"}},
			want: every(403).but(201, "admin").but(401, "anonymous")},
		{pattern: "POST /admin/users", method: "POST", path: "/admin/users",
			form: url.Values{"login": {"new-liaison"}, "display_name": {"联络员"}, "role": {"enterprise"}, "uscc": {"91330106MA2GL0000X"}},
			want: every(403).but(422, "admin").but(401, "anonymous")},
		{pattern: "POST /admin/users/{id}/disable", method: "POST", path: "/admin/users/999999/disable",
			want: every(403).but(404, "admin").but(401, "anonymous")},
		{pattern: "POST /admin/users/{id}/enable", method: "POST", path: "/admin/users/999999/enable",
			want: every(403).but(404, "admin").but(401, "anonymous")},
		{pattern: "GET /admin/audit", method: "GET", path: "/admin/audit?action=login", want: every(403).but(200, "admin").but(signIn, "anonymous", "token")},

		// The JSON API. Nobody gets 401; a list holds what the caller may
		// see; one enterprise outside the caller's scope is not found.
		{pattern: "GET /api/v1/openapi.json", method: "GET", path: "/api/v1/openapi.json", want: every(200)},
		{pattern: "GET /api/v1/enterprises", method: "GET", path: "/api/v1/enterprises?q=企业&per=10", want: every(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/enterprises/{id}", method: "GET", path: "/api/v1/enterprises/{own}", want: every(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/enterprises/{id}", method: "GET", path: "/api/v1/enterprises/{other}",
			want: every(200).but(401, "anonymous").but(404, "enterprise", "commissioner")},
		{pattern: "GET /api/v1/enterprises/{id}/facts", method: "GET", path: "/api/v1/enterprises/{other}/facts",
			want: every(200).but(401, "anonymous").but(404, "enterprise", "commissioner")},
		// revenue is the statistics bureau's internal data: officers and
		// the enterprise itself may report it, the tax department may not.
		{pattern: "POST /api/v1/enterprises/{id}/facts", method: "POST", path: "/api/v1/enterprises/{own}/facts",
			json: `{"facts": {"revenue": {"2023": 42000000}}}`,
			want: every(403).but(200, "officer", "enterprise").but(401, "anonymous")},
		// credit_rating is the tax bureau's confidential data: the tax
		// department and its system's token may report it, the enterprise
		// may not set its own rating.
		{pattern: "POST /api/v1/enterprises/{id}/facts", method: "POST", path: "/api/v1/enterprises/{own}/facts",
			json: `{"facts": {"credit_rating": {"2023": "A"}}}`,
			want: every(403).but(200, "officer", "department", "token").but(401, "anonymous")},
		{pattern: "POST /api/v1/enterprises/{id}/facts", method: "POST", path: "/api/v1/enterprises/{other}/facts",
			json: `{"facts": {"credit_rating": {"2023": "A"}}}`,
			want: every(403).but(200, "officer", "department", "token").but(401, "anonymous").but(404, "enterprise", "commissioner")},
		{pattern: "GET /api/v1/enterprises/{id}/facts/{field}/history", method: "GET", path: "/api/v1/enterprises/{own}/facts/revenue/history",
			want: every(200).but(401, "anonymous").but(404, "department", "token")},
		{pattern: "GET /api/v1/enterprises/{id}/results", method: "GET", path: "/api/v1/enterprises/{own}/results",
			want: every(403).but(200, "officer", "commissioner", "enterprise").but(401, "anonymous")},
		{pattern: "GET /api/v1/dictionary", method: "GET", path: "/api/v1/dictionary", want: every(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/policies", method: "GET", path: "/api/v1/policies", want: every(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/policies/{id}", method: "GET", path: "/api/v1/policies/hnte", want: every(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/policies/{id}", method: "GET", path: "/api/v1/policies/no-such-policy", want: every(404).but(401, "anonymous")},
		{pattern: "GET /api/v1/policies/{id}/results", method: "GET", path: "/api/v1/policies/hnte/results?status=eligible",
			want: every(200).but(401, "anonymous")},
	}...)
}
