package demo

// tags returns the registry tags of the firm, in the order of Tags(). They
// follow its figures as the committee's lists do: certified high-tech firms,
// recognised SRDI firms, key enterprises by size, a few pre-IPO firms among
// the large innovative ones, and registered technology-based SMEs.
func (f *firm) tags() []string {
	s := f.s
	last := f.last()
	var tags []string
	if f.hnte {
		tags = append(tags, TagHighTech)
	}
	if f.srdiScore >= 60 && f.yearsInNiche >= 2 && last.revenue*f.rdRatio >= 1e6 && s.chance(0.8) {
		tags = append(tags, TagSRDI)
	}
	if last.revenue >= 1e8 || last.revenue >= 3e7 && s.chance(0.05) {
		tags = append(tags, TagKey)
	}
	if f.rdActive && (last.revenue >= 1e8 && s.chance(0.2) || last.revenue >= 5e7 && f.hnte && s.chance(0.05)) {
		tags = append(tags, TagPreIPO)
	}
	if f.rdActive && last.employees <= 500 && last.revenue <= 2e8 && f.techRatio >= 0.1 && s.chance(0.6) {
		tags = append(tags, TagTechSME)
	}
	return tags
}
