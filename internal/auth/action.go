package auth

// Action is something a principal may be allowed to do. Every action has
// exactly one rule in rules (decide.go); a test fails when one has none.
type Action string

// The actions. Their values appear in error messages and the audit log.
const (
	// Enterprise registry and data.
	ViewEnterprise Action = "view_enterprise" // an enterprise's profile (resource: EnterpriseID, ParkID)
	EditEnterprise Action = "edit_enterprise" // its name, industry, park, tags
	ViewField      Action = "view_field"      // a field's values for one enterprise (resource: enterprise and Field)
	EditFacts      Action = "edit_facts"      // report or correct a field's values for one enterprise
	Import         Action = "import"          // bulk import of facts (each row still needs EditFacts)
	Export         Action = "export"          // bulk export (each column still needs ViewField)
	ViewContact    Action = "view_contact"    // personal contact data unmasked (resource: the enterprise)

	// Administration.
	ManageUsers      Action = "manage_users"
	ManageTokens     Action = "manage_tokens"
	ViewAudit        Action = "view_audit" // browse and export the audit log
	ManageSettings   Action = "manage_settings"
	ManagePortfolios Action = "manage_portfolios" // assign enterprises to commissioners

	// Policies, matching and pushes.
	ViewPolicies   Action = "view_policies"
	ManagePolicies Action = "manage_policies"
	RunMatching    Action = "run_matching"
	ViewResults    Action = "view_results" // one enterprise's results and explanations
	ManagePackages Action = "manage_packages"
	AnswerPackage  Action = "answer_package" // confirm or decline one's benefits, choose the channels they come by

	// The commissioner system (resource: the enterprise and the filing department).
	FileTouchRequest Action = "file_touch_request"
	ViewTouchRequest Action = "view_touch_request"
	ManageVisits     Action = "manage_visits" // merge, schedule and log joint visits
	ConfirmVisit     Action = "confirm_visit"

	// Appeals (resource: the enterprise and the department it is routed to).
	FileAppeal        Action = "file_appeal"
	ViewAppeal        Action = "view_appeal"
	AnswerAppeal      Action = "answer_appeal"
	CloseAppeal       Action = "close_appeal" // confirm, reopen or rate the answer
	ManageRoundtables Action = "manage_roundtables"

	// Projects, indicators, dashboards.
	ViewProjects     Action = "view_projects"
	ManageProjects   Action = "manage_projects"
	ManageIndicators Action = "manage_indicators"
	ViewDashboard    Action = "view_dashboard" // aggregates only

	// Technology transfer (产学研对接). The catalogue is public to every
	// role; needs and introductions are the enterprise's (resource: the
	// enterprise).
	ViewTechCatalogue    Action = "view_tech_catalogue"    // the catalogue of achievements and holders
	ManageTechCatalogue  Action = "manage_tech_catalogue"  // add, edit, import and withdraw achievements and holders
	PostTechNeed         Action = "post_tech_need"         // post, edit or close a need of this enterprise
	ViewTechNeed         Action = "view_tech_need"         // this enterprise's needs and the achievements ranked for them
	MatchTechEnterprises Action = "match_tech_enterprises" // for an achievement, the enterprises whose needs and profile fit
	ManageDockings       Action = "manage_dockings"        // introduce this enterprise to a holder and follow the contact
	ViewDockings         Action = "view_dockings"          // this enterprise's introductions and contracts
	ManageTechEvents     Action = "manage_tech_events"     // docking events (对接会): create, record who met
	SignUpTechEvent      Action = "sign_up_tech_event"     // sign this enterprise up for a docking event

	// Own account.
	ChangeOwnPassword Action = "change_own_password"
)

// Resource is what an action applies to. Fill what the object has: its
// enterprise (and that enterprise's park), the department that owns, filed
// or answers it, and for field actions the field.
type Resource struct {
	EnterpriseID int64
	// ParkID is the park of EnterpriseID (0 when it has none). A principal
	// limited to one park is denied an enterprise whose park is not given.
	ParkID int64
	// Department is the code of the department that filed a touch request
	// or to which an appeal is routed.
	Department string
	Field      Field
}

// Enterprise is the resource of an action on one enterprise.
func Enterprise(id, parkID int64) Resource {
	return Resource{EnterpriseID: id, ParkID: parkID}
}
