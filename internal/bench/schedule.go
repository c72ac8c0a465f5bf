package bench

import (
	"math/rand/v2"

	"github.com/parkdesk/parkdesk/internal/touch/schedule"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// china2025 is the State Council's holiday schedule for the first half of
// 2025 (国办发明电〔2024〕12号), as the synthetic load's calendar.
var china2025 = []workday.Entry{
	{Date: workday.FromCivil(2025, 1, 1), Name: "元旦"},
	{Date: workday.FromCivil(2025, 1, 26), Working: true, Name: "春节调休"},
	{Date: workday.FromCivil(2025, 1, 28), Name: "春节"},
	{Date: workday.FromCivil(2025, 1, 29), Name: "春节"},
	{Date: workday.FromCivil(2025, 1, 30), Name: "春节"},
	{Date: workday.FromCivil(2025, 1, 31), Name: "春节"},
	{Date: workday.FromCivil(2025, 2, 3), Name: "春节"},
	{Date: workday.FromCivil(2025, 2, 4), Name: "春节"},
	{Date: workday.FromCivil(2025, 2, 8), Working: true, Name: "春节调休"},
	{Date: workday.FromCivil(2025, 4, 4), Name: "清明节"},
	{Date: workday.FromCivil(2025, 4, 27), Working: true, Name: "劳动节调休"},
	{Date: workday.FromCivil(2025, 5, 1), Name: "劳动节"},
	{Date: workday.FromCivil(2025, 5, 2), Name: "劳动节"},
	{Date: workday.FromCivil(2025, 5, 5), Name: "劳动节"},
	{Date: workday.FromCivil(2025, 6, 2), Name: "端午节"},
}

// SyntheticLoad describes the generated problem for people.
type SyntheticLoad struct {
	Problem       *schedule.Problem
	Parks         int
	Commissioners int
}

// SyntheticSchedule generates a realistic half year of on-site requests: the first
// half of 2025 with its holidays; six parks with the quiet rules parks use
// (days 1–20 or 1–10 quiet, monthly and yearly caps, one park without
// rules); a few enterprises with stricter rules of their own; one
// commissioner per 50 enterprises of a park, four visits a day; requests
// spread unevenly (a tenth of the enterprises draw a third of them), with
// windows of mostly two to six weeks, some of days, some of months, and one
// in twenty-five exempt. The same seed gives the same problem.
func SyntheticSchedule(seed uint64, requests, enterprises int) SyntheticLoad {
	rng := rand.New(rand.NewPCG(seed, 0x706b6473))
	cal, err := workday.New(china2025...)
	if err != nil {
		panic(err) // the table above is fixed
	}
	p := &schedule.Problem{
		From: workday.FromCivil(2025, 1, 1), To: workday.FromCivil(2025, 6, 30),
		Calendar: cal, Sites: make(map[int64]*schedule.Site, enterprises), DailyCapacity: 4,
	}
	parkRules := []*schedule.QuietRules{
		{Windows: []schedule.QuietWindow{{FirstDay: 1, LastDay: 10}}, MonthlyCap: 2, YearlyCap: 12},
		{Windows: []schedule.QuietWindow{{FirstDay: 1, LastDay: 20}}, MonthlyCap: 2},
		{MonthlyCap: 3},
		{Windows: []schedule.QuietWindow{{FirstDay: 1, LastDay: 5}}},
		nil,
		{Windows: []schedule.QuietWindow{{FirstDay: 1, LastDay: 10}}, YearlyCap: 8},
	}
	strict := &schedule.QuietRules{Windows: []schedule.QuietWindow{{FirstDay: 1, LastDay: 15}}, MonthlyCap: 1}
	const perCommissioner = 50
	parkOf := make([]int, enterprises)
	inPark := make([]int, len(parkRules))
	commissioners := 0
	parkBase := make([]int, len(parkRules)) // first commissioner id of each park
	for e := range enterprises {
		parkOf[e] = rng.IntN(len(parkRules))
		inPark[parkOf[e]]++
	}
	for k, n := range inPark {
		parkBase[k] = commissioners + 1
		commissioners += max(1, (n+perCommissioner-1)/perCommissioner)
	}
	seen := make([]int, len(parkRules))
	for e := range enterprises {
		k := parkOf[e]
		site := &schedule.Site{Enterprise: int64(e + 1), Rules: parkRules[k], Commissioner: int64(parkBase[k] + seen[k]/perCommissioner)}
		seen[k]++
		if rng.IntN(50) == 0 {
			site.Rules = strict
		}
		if rng.IntN(20) == 0 && site.Rules.Capped() {
			site.Booked = []workday.Date{workday.FromCivil(2025, 1, 6+rng.IntN(10))}
		}
		p.Sites[site.Enterprise] = site
	}
	key := max(1, enterprises/10)
	horizon := int(p.To - p.From)
	p.Demands = make([]schedule.Demand, requests)
	for i := range p.Demands {
		ent := rng.IntN(enterprises)
		if rng.IntN(3) == 0 {
			ent = rng.IntN(key) // the key enterprises every department wants to see
		}
		var length int
		switch r := rng.IntN(10); {
		case r == 0:
			length = 3 + rng.IntN(8)
		case r == 9:
			length = 60 + rng.IntN(30)
		default:
			length = 14 + rng.IntN(29)
		}
		start := p.From + workday.Date(rng.IntN(horizon-10)-7)
		p.Demands[i] = schedule.Demand{
			ID: int64(i + 1), Enterprise: int64(ent + 1),
			Earliest: start, Latest: start + workday.Date(length),
			Exempt: rng.IntN(25) == 0, Minutes: 30 * (1 + rng.IntN(4)),
		}
	}
	return SyntheticLoad{Problem: p, Parks: len(parkRules), Commissioners: commissioners}
}
