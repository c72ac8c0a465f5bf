package touch

import "fmt"

// Kind is what a department wants from an enterprise.
type Kind string

// The kinds of touch, those of Guangzhou Development Zone's commissioner
// system.
const (
	KindVisit      Kind = "visit"       // 走访调研: a visit or survey
	KindDataReport Kind = "data_report" // 数据上报: data to report
	KindMaterials  Kind = "materials"   // 材料收集: material to collect
	KindInspection Kind = "inspection"  // 行政检查: an administrative inspection
)

// Kinds lists the kinds in the order forms show them.
var Kinds = []Kind{KindVisit, KindDataReport, KindMaterials, KindInspection}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("kind %q is not one of visit, data_report, materials, inspection", s)
}

// Exemption is why a request may break the quiet rules; the zero value is
// none. National rules allow inspections driven by these to go ahead at any
// time; they are flagged and counted so that "exempt" cannot become a habit
// unseen.
type Exemption string

// The exemptions.
const (
	ExemptNone      Exemption = ""
	ExemptComplaint Exemption = "complaint"          // 投诉举报
	ExemptAccident  Exemption = "accident"           // 事故
	ExemptSafety    Exemption = "safety"             // 安全生产、生态环境、食品药品
	ExemptDeadline  Exemption = "statutory_deadline" // 法定时限
	ExemptCampaign  Exemption = "campaign"           // 上级部署的专项行动
)

// Exemptions lists the exemptions other than none.
var Exemptions = []Exemption{ExemptComplaint, ExemptAccident, ExemptSafety, ExemptDeadline, ExemptCampaign}

// ParseExemption returns the exemption named s; "" and "none" are none.
func ParseExemption(s string) (Exemption, error) {
	if s == "" || s == "none" {
		return ExemptNone, nil
	}
	for _, e := range Exemptions {
		if string(e) == s {
			return e, nil
		}
	}
	return "", fmt.Errorf("exemption %q is not one of complaint, accident, safety, statutory_deadline, campaign", s)
}
