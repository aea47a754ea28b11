package thidua

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// This file holds the nominations of outstanding individuals (cá nhân điển
// hình tiên tiến), honoured at the year-end conference beside the award
// proposals (seed 001: "biểu dương, khen thưởng 28 cá nhân điển hình tiên
// tiến"): each unit's representatives nominate people of their unit, and the
// block aims for a share of those honoured who hold no leadership or
// management post ("tỷ lệ khen thưởng cho người không giữ chức vụ lãnh đạo,
// quản lý ... đạt 40%"). The nominations belong to the registration part,
// beside the award proposals, and close with them at the turn of the year.

// Limits of a nomination, in characters, and of a unit's nominations.
const (
	// MaxExemplarNameLen is the longest full name accepted.
	MaxExemplarNameLen = 100
	// MaxPositionLen is the longest position accepted: "Ủy viên Ban
	// Thường vụ, Trưởng Ban Tuyên giáo Hội Liên hiệp Phụ nữ tỉnh" is some
	// sixty.
	MaxPositionLen = 200
	// MaxAchievementLen is the longest achievement accepted, a line of a
	// conference's list, not the report that supports it.
	MaxAchievementLen = 300
	// MaxExemplars is the most people one unit may nominate.
	MaxExemplars = 50
)

// NonLeaderAim is the share, in percent, of the people honoured who hold
// no leadership or management post that a block aims for (seed 001).
const NonLeaderAim = 40

// Errors of the nominations.
var (
	ErrExemplarName        = newErr("exemplar_name", "a nominee's full name is empty, too long, or holds something other than letters")
	ErrExemplarPosition    = newErr("exemplar_position", "a nominee's position is missing, too long, without a letter or not valid text")
	ErrExemplarAchievement = newErr("exemplar_achievement", "a nominee's achievement is too long or not valid text")
	ErrExemplarFields      = newErr("exemplar_fields", "a nomination line has more than a name, a position, an achievement and a leadership mark")
	ErrExemplarTwice       = newErr("exemplar_twice", "a person is named twice in one message")
	ErrExemplarNone        = newErr("exemplar_none", "no person is named")
	ErrNotYourExemplar     = newErr("not_your_exemplar", "only the unit's representatives or managers may nominate its people or remove them")
	ErrExemplarNotFound    = newErr("exemplar_not_found", "the unit has no nominee with this number")
	ErrTooManyExemplars    = newErr("too_many_exemplars", "the unit would nominate more than MaxExemplars people")
)

// Exemplar is a person a unit nominates as outstanding, with whether they
// hold a leadership or management post, and who recorded them last and
// when.
type Exemplar struct {
	UnitID      string `json:"unit_id"`
	Name        string `json:"name"`
	Position    string `json:"position"`
	Achievement string `json:"achievement,omitempty"`
	// Leader is set when the person holds a leadership or management post
	// (giữ chức vụ lãnh đạo, quản lý): as the nominator marked it, or else
	// as their position reads (IsLeaderPosition) when nominated, which may
	// be uncertain (see Uncertain). It is kept as decided then, so that a
	// finished year's share stays as the conference saw it.
	Leader bool `json:"leader,omitempty"`
	// Marked is set when the nominator marked Leader explicitly.
	Marked bool         `json:"marked,omitempty"`
	By     *Attribution `json:"by,omitempty"`
}

// Uncertain reports whether the person's reading rests on a position that
// may be counted either way, a grass-roots post (see IsGrassRootsPost),
// which the nominator did not mark.
func (e Exemplar) Uncertain() bool { return !e.Marked && IsGrassRootsPost(e.Position) }

// ExemplarLine is one person as typed on a line of a nomination (see
// ParseExemplarLine).
type ExemplarLine struct {
	Name, Position, Achievement string
	// Leader and Marked are as for Exemplar.
	Leader, Marked bool
}

// Nomination is a person a nomination recorded, with their number among
// their unit's nominees (from 1), whether they were nominated before, and
// so updated, and whether the line left them as they were.
type Nomination struct {
	Exemplar
	No        int
	Updated   bool
	Unchanged bool
}

// ParseExemplarLine reads a person nominated: "<họ tên> | <chức vụ> |
// [thành tích] | [lãnh đạo hoặc không lãnh đạo]". The full name holds
// letters, spaces and the dots, hyphens and apostrophes of initials and
// foreign names; the position is required. A field after the position that
// reads as a leadership mark (see leaderMark) is the mark, not an
// achievement, and the last; without one, the position decides
// (IsLeaderPosition). A
// bullet or a number leading the line ("- ", "• ", "3. ") is not part of
// the name; blank fields ending the line after the position ("… | Vận
// động quỹ |", as a row copied from a table ends) are dropped. It returns
// ErrExemplarName, ErrExemplarPosition (missing, or a mark in its place),
// ErrExemplarAchievement, or ErrExemplarFields (a field more, or a mark
// before the last).
func ParseExemplarLine(s string) (ExemplarLine, error) {
	fields := strings.Split(trimBullet(s), "|")
	for n := len(fields); n > 2 && strings.TrimSpace(fields[n-1]) == ""; n-- {
		fields = fields[:n-1]
	}
	name, ok := CleanText(fields[0], MaxExemplarNameLen)
	if !ok || !isPersonName(name) {
		return ExemplarLine{}, fmt.Errorf("%w: %q", ErrExemplarName, fields[0])
	}
	if len(fields) < 2 {
		return ExemplarLine{}, fmt.Errorf("%w: %q", ErrExemplarPosition, s)
	}
	position, ok := cleanTitle(fields[1], MaxPositionLen)
	if !ok || isMark(position) {
		return ExemplarLine{}, fmt.Errorf("%w: %q", ErrExemplarPosition, fields[1])
	}
	l := ExemplarLine{Name: name, Position: position, Leader: IsLeaderPosition(position)}
	rest := fields[2:]
	if n := len(rest); n > 0 {
		if leader, ok := leaderMark(rest[n-1]); ok {
			l.Leader, l.Marked, rest = leader, true, rest[:n-1]
		}
	}
	switch {
	case len(rest) > 1:
		return ExemplarLine{}, fmt.Errorf("%w: %q", ErrExemplarFields, s)
	case len(rest) == 1 && isMark(rest[0]):
		// Two marks: which one holds?
		return ExemplarLine{}, fmt.Errorf("%w: %q", ErrExemplarFields, s)
	case len(rest) == 1 && strings.TrimSpace(rest[0]) != "":
		if l.Achievement, ok = CleanText(rest[0], MaxAchievementLen); !ok {
			return ExemplarLine{}, fmt.Errorf("%w: %q", ErrExemplarAchievement, rest[0])
		}
	}
	return l, nil
}

// trimBullet takes off what leads a line of a list: a bullet ("-", "–",
// which word processors make of it, "•", "+", "*") or a number ("3.",
// "3)"), followed by a space.
func trimBullet(s string) string {
	s = strings.TrimSpace(s)
	lead := strings.TrimLeft(s, "0123456789")
	switch {
	case len(lead) < len(s) && (strings.HasPrefix(lead, ". ") || strings.HasPrefix(lead, ") ")):
		return lead[2:]
	case len(lead) < len(s):
		return s
	}
	for _, b := range []string{"- ", "– ", "• ", "+ ", "* "} {
		if rest, ok := strings.CutPrefix(s, b); ok {
			return rest
		}
	}
	return s
}

// isPersonName reports whether a cleaned name reads as a person's: a
// letter, then letters (with their combining marks), spaces, and the dots,
// hyphens and apostrophes of initials and foreign names.
func isPersonName(s string) bool {
	for i, r := range s {
		if !unicode.IsLetter(r) && (i == 0 || !unicode.IsMark(r) && !strings.ContainsRune(" .-'’", r)) {
			return false
		}
	}
	return s != ""
}

// The leadership marks, folded, with punctuation read as spaces (see
// leaderMark): holding a post, and the words that deny it before one of
// these.
var (
	leaderMarks    = []string{"lanh dao", "lanh dao quan ly", "giu chuc vu lanh dao quan ly", "leader"}
	nonLeaderWords = []string{"khong", "not", "non"}
)

// leaderMark reads a field that is a leadership mark, whatever its case,
// diacritics and punctuation: "lãnh đạo", "lãnh đạo, quản lý", "giữ chức
// vụ lãnh đạo, quản lý" or "leader" for a person holding a leadership or
// management post; the same after "không" ("không lãnh đạo"), "not" or
// "non" ("non-leader") for one holding none. It reports the mark, and
// whether the field is one.
func leaderMark(field string) (leader, ok bool) {
	words := strings.Fields(strings.Map(func(r rune) rune {
		if strings.ContainsRune(",.-–;:", r) {
			return ' '
		}
		return r
	}, Fold(field)))
	leader = true
	if len(words) > 0 && slices.Contains(nonLeaderWords, words[0]) {
		leader, words = false, words[1:]
	}
	return leader, slices.Contains(leaderMarks, strings.Join(words, " "))
}

// isMark reports whether a field is a leadership mark (see leaderMark).
func isMark(field string) bool {
	_, ok := leaderMark(field)
	return ok
}

// leaderMarkText is the mark of a person as the history writes it, as it
// would be typed: "lãnh đạo" or "không lãnh đạo".
func leaderMarkText(leader bool) string {
	if leader {
		return "lãnh đạo"
	}
	return "không lãnh đạo"
}

// The titles of leadership and management posts (see IsLeaderPosition),
// folded: those that open a title, after the words that make a deputy,
// general or acting holder of it ("Phó", "Tổng", "Quyền"), and those that
// only a deputy's title opens with ("Phó Ban", "Phó phòng" stand for "Phó
// Trưởng ban", "Phó Trưởng phòng"). "Trưởng" opens a title only before
// the office it heads, since folded it is also "Trường", a school, which
// a position may name as the workplace ("Giáo viên, Trường THPT số 1").
// The organisations below the commune (see IsGrassRootsPost), folded: a
// youth union cell, an association's branch, a team, a village, a
// residential area. A word typed with diacritics counts only written as
// grassRootsWritten has it («Tô», a name, is not «tổ», a team), one typed
// without any counts but for «bản», a village in the mountains, since
// «ban» is a board («Trưởng ban»); «tổ» does not count in «Tổ chức» and
// «Tổ quốc» («Trưởng ban Tổ chức»).
var (
	grassRoots = [][]string{
		{"chi", "doan"}, {"chi", "hoi"}, {"phan", "hoi"}, {"to"}, {"thon"}, {"ban"}, {"xom"}, {"ap"}, {"buon"},
		{"khu", "dan", "cu"}, {"khu", "pho"},
	}
	grassRootsWritten = map[string]string{
		"chi": "chi", "doan": "đoàn", "hoi": "hội", "phan": "phân", "to": "tổ", "thon": "thôn", "ban": "bản", "xom": "xóm",
		"ap": "ấp", "buon": "buôn", "khu": "khu", "dan": "dân", "cu": "cư", "pho": "phố",
	}
	notGrassRoots = [][]string{{"to", "chuc"}, {"to", "quoc"}}

	leaderTitles = [][]string{
		{"chu", "tich"}, {"bi", "thu"}, {"giam", "doc"}, {"chu", "nhiem"}, {"chanh"},
		{"truong", "ban"}, {"truong", "phong"}, {"truong", "van", "phong"}, {"truong", "khoa"}, {"truong", "tram"},
		{"thuong", "truc"}, {"uy", "vien", "thuong", "vu"}, {"uy", "vien", "ban", "thuong", "vu"},
		{"uy", "vien", "thuong", "truc"}, {"tong", "bien", "tap"}, {"tong", "thu", "ky"},
		{"hieu", "truong"}, {"vien", "truong"}, {"cuc", "truong"}, {"chi", "cuc", "truong"}, {"vu", "truong"}, {"thu", "truong"},
	}
	deputyTitles = [][]string{{"ban"}, {"phong"}, {"van", "phong"}}
	titleRanks   = []string{"pho", "tong", "quyen"}
)

// IsLeaderPosition reports whether a position reads as a leadership or
// management post (chức vụ lãnh đạo, quản lý), whatever its case and
// diacritics: one of its titles (see positionTitles) opens with a leader's
// title (see leaderTitles): Chủ tịch, Phó Chủ tịch, Bí thư, Phó Bí thư,
// Trưởng ban, Phó Trưởng ban, Phó Ban, Trưởng phòng, Phó phòng, Chánh Văn
// phòng, Phó Chánh Văn phòng, Giám đốc, Phó Giám đốc, Chủ nhiệm, Thường
// trực, Ủy viên Ban Thường vụ, Tổng Biên tập, Hiệu trưởng, Cục trưởng and
// the like, and is no grass-roots post (see IsGrassRootsPost: «Bí thư Chi
// đoàn» is none at the unit). A title that only names one ("Chuyên viên
// giúp việc Thường trực", "Trợ lý Chủ tịch") is not one, nor is a former
// one ("Nguyên Chủ tịch").
func IsLeaderPosition(position string) bool {
	leader, _ := readPosition(position)
	return leader
}

// IsGrassRootsPost reports whether the reading of a position is uncertain:
// it is no leadership or management post (see IsLeaderPosition) but one of
// its titles heads or deputises an organisation below the commune
// (grassRoots): a youth union cell, an association's branch, a team, a
// village («Bí thư Chi đoàn», «Chi hội trưởng», «Tổ trưởng», «Trưởng
// thôn», «Phó trưởng bản»). Such a post is not one at the unit (seed 001:
// «người không giữ chức vụ lãnh đạo, quản lý ở cơ quan, đơn vị»), as
// blocks usually hold, but some count it.
func IsGrassRootsPost(position string) bool {
	_, grassRoots := readPosition(position)
	return grassRoots
}

// readPosition reads a position's titles: whether one is a leader's title
// that heads no grass-roots organisation, and, when none is, whether one
// heads or deputises a grass-roots organisation (see isGrassRootsTitle).
func readPosition(position string) (leader, grassRoots bool) {
	for _, words := range positionTitles(position) {
		folded := make([]string, len(words))
		for i, w := range words {
			folded[i] = Fold(w)
		}
		switch {
		case isGrassRootsTitle(words, folded):
			grassRoots = true
		case leaderTitleLen(folded) > 0:
			return true, false
		}
	}
	return false, grassRoots
}

// positionTitles splits a position into its titles, separated by commas,
// semicolons, slashes, dashes, brackets or «kiêm», each as its words in
// lower case.
func positionTitles(position string) [][]string {
	var out [][]string
	for _, t := range strings.FieldsFunc(strings.ToLower(position), func(r rune) bool { return strings.ContainsRune(",;/()–—-+&", r) }) {
		words := strings.Fields(t)
		for len(words) > 0 {
			i := slices.IndexFunc(words, func(w string) bool { return Fold(w) == "kiem" })
			if i < 0 {
				i = len(words)
			}
			if i > 0 {
				out = append(out, words[:i])
			}
			words = words[min(i+1, len(words)):]
		}
	}
	return out
}

// leaderTitleLen returns how many of the folded words of one title its
// leader's title takes, with the ranks before it («phó bí thư» is 3), or 0
// when it opens with none.
func leaderTitleLen(words []string) int {
	deputy := false
	for i := 0; ; i++ {
		if n := opensWith(words[i:], leaderTitles); n > 0 {
			return i + n
		}
		if n := opensWith(words[i:], deputyTitles); deputy && n > 0 {
			return i + n
		}
		if i == len(words) || !slices.Contains(titleRanks, words[i]) {
			return 0
		}
		deputy = deputy || words[i] == "pho"
	}
}

// isGrassRootsTitle reports whether one title, its words in lower case and
// folded, heads or deputises an organisation below the commune
// (grassRoots): one comes right after a leader's title or after «trưởng»
// or «phó» («Bí thư Chi đoàn», «Trưởng thôn», «Phó trưởng bản»), or right
// before «trưởng» or «phó» («Tổ trưởng», «Chi hội trưởng»).
func isGrassRootsTitle(words, folded []string) bool {
	if n := leaderTitleLen(folded); n > 0 && grassRootsLen(words[n:], folded[n:], false) > 0 {
		return true
	}
	for i, f := range folded {
		if headsOrDeputises(words[i], f) && (grassRootsLen(words[i+1:], folded[i+1:], false) > 0 || grassRootsLen(words[:i], folded[:i], true) > 0) {
			return true
		}
	}
	return false
}

// headsOrDeputises reports whether a word in lower case, folded f, is
// «trưởng» or «phó», written so or without diacritics: «trường», a
// school, and «phố», a street, fold alike («Hiệu trưởng Trường Tô Hiệu»,
// «Giám đốc Chi nhánh phố Tô Hiệu»).
func headsOrDeputises(word, f string) bool {
	return word == "trưởng" || word == "phó" || (f == "truong" || f == "pho") && word == f
}

// writtenAsGrassRoots reports whether words in lower case, folded as the
// grass-roots organisation g is, are written as its name (see
// grassRootsWritten) or without diacritics, but for «ban».
func writtenAsGrassRoots(words, g []string) bool {
	for i, w := range words {
		if w != grassRootsWritten[g[i]] && (w != g[i] || g[i] == "ban") {
			return false
		}
	}
	return true
}

// grassRootsLen returns how many words a grass-roots organisation takes at
// the start of words (their folded forms), or at their end when last, 0
// for none; its words count only written as its name is (see
// writtenAsGrassRoots), and words that open with one of notGrassRoots name
// none.
func grassRootsLen(words, folded []string, last bool) int {
	if !last && opensWith(folded, notGrassRoots) > 0 {
		return 0
	}
	for _, g := range grassRoots {
		n := len(g)
		if n > len(folded) {
			continue
		}
		at := 0
		if last {
			at = len(folded) - n
		}
		if slices.Equal(folded[at:at+n], g) && writtenAsGrassRoots(words[at:at+n], g) {
			return n
		}
	}
	return 0
}

// opensWith returns how many words the title among titles that words open
// with takes, 0 for none.
func opensWith(words []string, titles [][]string) int {
	for _, t := range titles {
		if len(words) >= len(t) && slices.Equal(words[:len(t)], t) {
			return len(t)
		}
	}
	return 0
}

// ExemplarsOf returns the people the unit nominates, in the order first
// nominated: the first is number 1.
func (b *Block) ExemplarsOf(unitID string) []Exemplar {
	var out []Exemplar
	for _, e := range b.Registration.Exemplars {
		if e.UnitID == unitID {
			out = append(out, e)
		}
	}
	return out
}

// ExemplarTally counts the people nominated, and those of them who hold no
// leadership or management post, against NonLeaderAim.
type ExemplarTally struct {
	Total, NonLeaders int
}

// ExemplarTally counts the block's nominations.
func (b *Block) ExemplarTally() ExemplarTally {
	t := ExemplarTally{Total: len(b.Registration.Exemplars)}
	for _, e := range b.Registration.Exemplars {
		if !e.Leader {
			t.NonLeaders++
		}
	}
	return t
}

// AimReached reports whether people holding no leadership or management
// post are at least NonLeaderAim percent of those nominated, some being.
func (t ExemplarTally) AimReached() bool {
	return t.Total > 0 && 100*t.NonLeaders >= NonLeaderAim*t.Total
}

// Short returns how many more people holding no leadership or management
// post the nominations need to reach NonLeaderAim (0 once reached, and
// with nobody nominated).
func (t ExemplarTally) Short() int {
	if t.Total == 0 || t.AimReached() {
		return 0
	}
	gap := NonLeaderAim*t.Total - 100*t.NonLeaders
	return (gap + 100 - NonLeaderAim - 1) / (100 - NonLeaderAim)
}

// Percent returns the share of people holding no leadership or management
// post, in whole percent, rounded, except that a share just short of
// NonLeaderAim is rounded down, never reading as the aim reached (39,5%
// reads 39%). It is 0 with nobody nominated.
func (t ExemplarTally) Percent() int {
	if t.Total == 0 {
		return 0
	}
	p := (200*t.NonLeaders + t.Total) / (2 * t.Total)
	if p >= NonLeaderAim && !t.AimReached() {
		p = NonLeaderAim - 1
	}
	return p
}

// mayNominate returns ErrUnitNotFound or ErrNotYourExemplar unless the
// actor may change the unit's nominations: one of its representatives, or
// a manager (who may for any unit).
func (b *Block) mayNominate(a Actor, unitID string) error {
	switch {
	case b.Unit(unitID) == nil:
		return ErrUnitNotFound
	case !b.CanActFor(a, unitID) && !b.CanManage(a):
		return ErrNotYourExemplar
	}
	return nil
}

// Nominate records the people of the lines as nominated by the unit. A
// person the unit nominated before, by the same name (see sameName), is
// updated to the line, keeping their number; the name then keeps its
// diacritics if the line has none. Only the unit's
// representatives and managers may. The history keeps each person's line
// ("exemplar.add", or "exemplar.update" with the line before; none when
// nothing changed), about the unit; a mark that confirms what the position
// read is a change, written «… | không lãnh đạo (theo chức vụ)» → «… |
// không lãnh đạo (ghi rõ)». It returns the people recorded, in the
// lines' order, or ErrUnitNotFound, ErrNotYourExemplar, ErrExemplarNone,
// ErrTooManyExemplars, or a *LineError wrapping ErrExemplarTwice or, for a
// line whose fields are not as ParseExemplarLine reads them, its
// ErrExemplarName, ErrExemplarPosition or ErrExemplarAchievement.
func (b *Block) Nominate(a Actor, unitID string, lines []ExemplarLine, now time.Time) ([]Nomination, error) {
	if err := b.mayNominate(a, unitID); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, ErrExemplarNone
	}
	added := 0
	for i, l := range lines {
		if err := l.check(); err != nil {
			return nil, &LineError{Line: i + 1, Err: err}
		}
		if slices.ContainsFunc(lines[:i], func(o ExemplarLine) bool { return sameName(o.Name, l.Name) }) {
			return nil, &LineError{Line: i + 1, Err: ErrExemplarTwice}
		}
		if b.exemplarIndex(unitID, l.Name) < 0 {
			added++
		}
	}
	if len(b.ExemplarsOf(unitID))+added > MaxExemplars {
		return nil, ErrTooManyExemplars
	}
	by := attribution(a, now)
	out := make([]Nomination, len(lines))
	for i, l := range lines {
		e := Exemplar{UnitID: unitID, Name: l.Name, Position: l.Position, Achievement: l.Achievement, Leader: l.Leader, Marked: l.Marked, By: by}
		j := b.exemplarIndex(unitID, l.Name)
		if j < 0 {
			b.Registration.Exemplars = append(b.Registration.Exemplars, e)
			b.recordFor(a, unitID, now, "exemplar.add", "", exemplarRecord(e))
			out[i] = Nomination{Exemplar: e, No: len(b.ExemplarsOf(unitID))}
			continue
		}
		old := &b.Registration.Exemplars[j]
		if isASCII(e.Name) && !isASCII(old.Name) {
			e.Name = old.Name
		}
		before, after := exemplarRecord(*old), exemplarRecord(e)
		if before == after && e.Marked && !old.Marked {
			// A mark that confirms the reading of the position settles it
			// (see Exemplar.Uncertain).
			before, after = before+" (theo chức vụ)", after+" (ghi rõ)"
		}
		if before != after {
			*old = e
			b.recordFor(a, unitID, now, "exemplar.update", before, after)
		}
		out[i] = Nomination{Exemplar: *old, No: b.exemplarNo(j), Updated: true, Unchanged: before == after}
	}
	return out, nil
}

// check returns the error of ParseExemplarLine for a line whose fields are
// not as it reads them.
func (l ExemplarLine) check() error {
	if name, ok := CleanText(l.Name, MaxExemplarNameLen); !ok || name != l.Name || !isPersonName(name) {
		return ErrExemplarName
	}
	if position, ok := cleanTitle(l.Position, MaxPositionLen); !ok || position != l.Position || isMark(position) {
		return ErrExemplarPosition
	}
	if achievement, ok := CleanText(l.Achievement, MaxAchievementLen); l.Achievement != "" && (!ok || achievement != l.Achievement) {
		return ErrExemplarAchievement
	}
	return nil
}

// exemplarIndex returns the index in the block's nominations of the
// unit's first nominee of this name (see sameName), or -1.
func (b *Block) exemplarIndex(unitID, name string) int {
	return slices.IndexFunc(b.Registration.Exemplars, func(e Exemplar) bool { return e.UnitID == unitID && sameName(e.Name, name) })
}

// sameName reports whether two full names name the same person: the same
// letters whatever their case, or, when either is written without
// diacritics, the same once folded (see Fold). Diacritics written in both
// must agree, since they tell names apart: «Nguyễn Thị Thu» and «Nguyễn Thị
// Thư», «Hoa» and «Hòa» are different people.
func sameName(x, y string) bool {
	if isASCII(x) || isASCII(y) {
		return Fold(x) == Fold(y)
	}
	return strings.EqualFold(x, y)
}

// exemplarNo returns the number among its unit's nominees of the
// nomination at index i of the block's.
func (b *Block) exemplarNo(i int) int {
	unitID, no := b.Registration.Exemplars[i].UnitID, 0
	for _, e := range b.Registration.Exemplars[:i+1] {
		if e.UnitID == unitID {
			no++
		}
	}
	return no
}

// RemoveExemplar takes the unit's nominee number no (from 1, see
// ExemplarsOf) out of the nominations; those after them move up one
// number. Only the unit's representatives and managers may. The history
// keeps the person's line ("exemplar.remove"). It returns the person
// removed, or ErrUnitNotFound, ErrNotYourExemplar or ErrExemplarNotFound.
func (b *Block) RemoveExemplar(a Actor, unitID string, no int, now time.Time) (Exemplar, error) {
	if err := b.mayNominate(a, unitID); err != nil {
		return Exemplar{}, err
	}
	for i, e := range b.Registration.Exemplars {
		if e.UnitID == unitID {
			if no--; no == 0 {
				b.Registration.Exemplars = slices.Delete(b.Registration.Exemplars, i, i+1)
				b.recordFor(a, unitID, now, "exemplar.remove", exemplarRecord(e), "")
				return e, nil
			}
		}
	}
	return Exemplar{}, ErrExemplarNotFound
}

// exemplarRecord writes a nominee for the history as the line that
// nominates them, their mark written out: "Nguyễn Thị Hoa | Chuyên viên
// Ban Phong trào | Vận động quỹ | không lãnh đạo".
func exemplarRecord(e Exemplar) string {
	fields := []string{e.Name, e.Position}
	if e.Achievement != "" {
		fields = append(fields, e.Achievement)
	}
	return strings.Join(append(fields, leaderMarkText(e.Leader)), " | ")
}

// dropExemplars takes the unit's nominees out of the nominations,
// recording each as RemoveExemplar does: the unit is leaving the block
// (RemoveUnit), whose actor a is.
func (b *Block) dropExemplars(a Actor, unitID string, now time.Time) {
	b.Registration.Exemplars = slices.DeleteFunc(b.Registration.Exemplars, func(e Exemplar) bool {
		if e.UnitID == unitID {
			b.record(a, now, "exemplar.remove", unitID, exemplarRecord(e), "")
		}
		return e.UnitID == unitID
	})
}
