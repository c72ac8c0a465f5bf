package touch

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// askWindowDays is how long an enterprise has to answer a data request
// filed for missing data: long enough for a month's paperwork.
const askWindowDays = 30

// AskData asks the enterprise, on its one form, for data a result lacks:
// a remote data request (数据上报) for the fields and periods, filed by the
// principal's department, or for an officer by the department that owns
// the first field. Only fields the enterprise may report itself are asked
// (tax data comes from the tax bureau); the others are refused by name.
// Data on file and fresh answers itself, as for any request (File).
func (s *Service) AskData(ctx context.Context, actor auth.Principal, enterpriseID int64, wants []FieldWant, basis string) (Request, error) {
	res, err := auth.EnterpriseResource(ctx, s.DB, enterpriseID)
	if err != nil {
		return Request{}, notFoundAs(err, "no such enterprise")
	}
	res.Department = actor.Department
	if err := auth.Can(actor, auth.FileTouchRequest, res); err != nil {
		return Request{}, err
	}
	if len(wants) == 0 {
		return Request{}, apperr.InvalidInput("nothing to ask", apperr.Problem{Field: "fields", Reason: "choose the data to ask for"})
	}
	dict, err := facts.LoadDictionary(ctx, s.DB)
	if err != nil {
		return Request{}, err
	}
	liaison := auth.Principal{Role: auth.RoleEnterprise, EnterpriseID: enterpriseID, UserID: -1, Label: "liaison"}
	dept := actor.Department
	var problems []apperr.Problem
	for _, w := range wants {
		f, ok := dict.Field(w.Field)
		if !ok {
			problems = append(problems, apperr.Problem{Field: w.Field, Reason: "is not a field of the data dictionary"})
			continue
		}
		if !auth.Allowed(liaison, auth.EditFacts, fieldResource(res, f)) {
			problems = append(problems, apperr.Problem{Field: w.Field, Reason: "the enterprise may not report it: ask the department that owns it"})
		}
		if dept == "" {
			dept = f.Department
		}
	}
	if len(problems) > 0 {
		return Request{}, apperr.InvalidInput("the enterprise cannot be asked for this data", problems...)
	}
	today := s.today()
	return s.File(ctx, actor, RequestSpec{EnterpriseID: enterpriseID, Department: dept, Kind: KindDataReport, Basis: basis,
		Earliest: today, Latest: today + askWindowDays, OnSite: false, Minutes: 0, Fields: wants})
}
