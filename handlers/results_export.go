package handlers

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/xuri/excelize/v2"

	"thiduabot/bot"
	"thiduabot/thidua"
)

// This file holds /export: the block's data as tables (units and
// representatives, pledges, criteria, results by period, progress, scores,
// outstanding individuals, the year's history), sent
// to the group as an Excel workbook laid out to print on A4 and as a zip of
// CSV files. The files are in Vietnamese whatever the asker's language:
// they are the block's documents.

var (
	msgExportCaption = bot.T{VI: "📊 %s — năm %d, %s: đơn vị, đăng ký, tiêu chí, kết quả, tiến độ, chấm điểm và đề nghị khen thưởng, cá nhân điển hình tiên tiến, lịch sử thay đổi.", EN: "📊 %s — %d, %s: units, pledges, criteria, results, progress, scores and award proposals, outstanding individuals, the change history."}
	msgExportAsOf    = bot.T{VI: "số liệu đến %s", EN: "data as of %s"}
	msgExportClosed  = bot.T{VI: "số liệu lưu khi khối chuyển sang năm %d", EN: "data as kept when the block turned to %d"}
	msgExportCSV     = bot.T{VI: "Các bảng trên dạng CSV (UTF-8), cho máy không có Excel.", EN: "The same tables as CSV (UTF-8), for those without Excel."}
)

// sheet is one table of the export: a worksheet of the workbook and a CSV
// file of the zip.
type sheet struct {
	name      string // worksheet name, at most 31 characters
	file      string // CSV file name
	landscape bool
	cols      []column
	// rows hold string, int, float64, day, moment, pct, code or nil (an
	// empty cell).
	rows [][]any
}

// column is a column's header and width in characters.
type column struct {
	head  string
	width float64
}

// day is a calendar date: the workbook shows it dd/mm/yyyy, the CSV files
// write it as ISO 8601, yyyy-mm-dd (see csvCell).
type day struct{ y, m, d int }

// dayOf is the date of t in loc.
func dayOf(t time.Time, loc *time.Location) day {
	t = t.In(loc)
	return day{t.Year(), int(t.Month()), t.Day()}
}

func (d day) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

// moment is a date and time to the minute: the workbook shows it
// dd/mm/yyyy HH:MM, the CSV files write it yyyy-mm-dd HH:MM.
type moment struct {
	day
	h, mi int
}

// momentOf is the date and time of t in loc.
func momentOf(t time.Time, loc *time.Location) moment {
	t = t.In(loc)
	return moment{dayOf(t, loc), t.Hour(), t.Minute()}
}

func (m moment) String() string { return fmt.Sprintf("%s %02d:%02d", m.day, m.h, m.mi) }

// pct is a percentage: 90 is 90%.
type pct float64

// code is a number of the bot's made of whole numbers joined by dots, such
// as a person's number in the list of outstanding individuals («3.2», the
// 2nd person of unit 3), which is text: a spreadsheet opening a CSV file
// would read «3.2» as a date or a decimal number, and «1.10» as 1,1. The
// CSV files write it as a formula (see csvCell), so it must hold no
// quotation mark: make one with codeOf, or of text that numberLike
// accepts.
type code string

// codeOf joins whole numbers with dots: codeOf(3, 10) is «3.10».
func codeOf(numbers ...int) code {
	parts := make([]string, len(numbers))
	for i, n := range numbers {
		parts[i] = strconv.Itoa(n)
	}
	return code(strings.Join(parts, "."))
}

// export sends the block's data as an Excel workbook and a zip of CSV
// files, as replies to the command.
func (r *Router) export(q *request) error {
	cur, err := q.block()
	if err != nil {
		return err
	}
	b, err := r.namedYear(q, cur)
	if err != nil || b == nil {
		return err
	}
	now := r.now()
	asOf := msgExportAsOf.F(q.lang, thidua.FormatDateTime(now, r.cfg.Location))
	if b.Year != cur.Year {
		// A year the block turned from: its data stopped at the turn.
		asOf = msgExportClosed.F(q.lang, b.Year+1)
	}
	hist, err := r.historySheet(q.ctx, b, cur)
	if err != nil {
		return err
	}
	sheets := append(r.exportSheets(b, now), hist)
	book, err := workbook(fmt.Sprintf("%s — năm %d", b.Name, b.Year), sheets)
	if err != nil {
		return fmt.Errorf("export: workbook: %w", err)
	}
	csvs, err := csvZip(sheets, now)
	if err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	base := fileBase("thi-dua", b)
	if err := q.sendDocument(base+".xlsx", book, msgExportCaption.F(q.lang, b.Name, b.Year, asOf)); err != nil {
		return err
	}
	return q.sendDocument(base+"-csv.zip", csvs, msgExportCSV.In(q.lang))
}

// maxCaption is the longest caption the bot gives a file, in UTF-16
// units: Telegram takes 1,024.
const maxCaption = 1000

// sendDocument posts a file to the chat, in the request's topic (see
// sendIn), as a reply to the command, with a plain-text caption, cut to
// maxCaption when longer.
func (q *request) sendDocument(name string, data []byte, caption string) error {
	if err := q.settle(); err != nil {
		return err
	}
	d := tgbotapi.NewDocument(q.chat.ID, tgbotapi.FileBytes{Name: name, Bytes: data})
	d.Caption, d.ReplyToMessageID, d.AllowSendingWithoutReply = shorten(caption, maxCaption), q.msg.MessageID, true
	_, err := q.r.sendIn(q.ctx, q.chat.ID, &q.thread, d)
	q.posted = q.posted || err == nil
	return err
}

// fileBase names the files of the block's year b, less their extension:
// what they hold (kind: «thi-dua» for the export), the year and the
// block's slug (see fileSlug), as «thi-dua-2026-mttq-va-cac-doan-the».
func fileBase(kind string, b *thidua.Block) string {
	base := fmt.Sprintf("%s-%d", kind, b.Year)
	if slug := fileSlug(b.Name); slug != "" {
		base += "-" + slug
	}
	return base
}

// maxFileSlug is the longest fileSlug, in characters.
const maxFileSlug = 40

// fileSlug shortens a block's name for its export's file names
// («thi-dua-2026-<slug>.xlsx»), so that the files of several blocks,
// collected by the province's emulation office, differ: the name's words
// in ASCII letters and digits, without diacritics (đ is d), lower case,
// joined by '-', less the leading «khối thi đua» that the file name says
// already (unless nothing follows), cut after the last whole word within
// maxFileSlug characters (a longer first word is cut at the limit). It is
// "" for a name without a Latin letter or digit.
func fileSlug(name string) string {
	words := strings.FieldsFunc(thidua.Fold(name), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
	if len(words) > 3 && words[0] == "khoi" && words[1] == "thi" && words[2] == "dua" {
		words = words[3:]
	}
	slug := ""
	for _, w := range words {
		switch {
		case slug == "":
			slug = w[:min(len(w), maxFileSlug)]
		case len(slug)+1+len(w) > maxFileSlug:
			return slug
		default:
			slug += "-" + w
		}
	}
	return slug
}

// electedRole is a unit's office for next year, once elected to it, in
// the units' table: "Khối trưởng năm 2027 (đã bầu)", as /units says it.
const electedRole = "%s năm %d (đã bầu)"

// exportSheets builds the tables of the export at now: those of the
// registration (see registrationSheets), then the year's results, progress,
// scores and outstanding individuals.
func (r *Router) exportSheets(b *thidua.Block, now time.Time) []sheet {
	return append(r.registrationSheets(b), r.resultsSheet(b, now), progressSheet(b, now), scoresSheet(b), r.exemplarsSheet(b))
}

// registrationSheets builds the tables of the year's registration: the
// units, every pledge with its list's state (a row saying so for a unit
// without pledges), and the criteria with their total. The units' table
// gives each unit's office this year and the one it is elected to for
// next year, for the conference's minutes.
func (r *Router) registrationSheets(b *thidua.Block) []sheet {
	loc := r.cfg.Location
	units := sheet{name: "Đơn vị", file: "don-vi.csv", cols: []column{
		{"STT", 6}, {"Đơn vị", 40}, {"Vai trò", 20}, {"Đầu mối", 45}, {"Số nội dung đăng ký", 12},
	}}
	pledges := sheet{name: "Đăng ký", file: "dang-ky.csv", landscape: true, cols: []column{
		{"Đơn vị", 28}, {"STT", 6}, {"Nội dung", 50}, {"Chỉ tiêu", 20}, {"Số chỉ tiêu", 12},
		{"Đơn vị tính", 14}, {"Hạn", 12}, {"Trạng thái danh sách", 16},
	}}
	for i, u := range b.Units {
		var roles []string
		switch u.ID {
		case b.LeaderUnit:
			roles = append(roles, roleName[thidua.RoleLeader].VI)
		case b.DeputyUnit:
			roles = append(roles, roleName[thidua.RoleDeputy].VI)
		}
		for _, el := range b.Elections.Elected {
			if el.UnitID == u.ID {
				roles = append(roles, fmt.Sprintf(electedRole, roleName[el.Role].VI, el.Year))
			}
		}
		var reps []string
		for _, rp := range b.RepsOf(u.ID) {
			if rp.Username != "" {
				reps = append(reps, rp.Name+" (@"+rp.Username+")")
			} else {
				reps = append(reps, rp.Name)
			}
		}
		ur := b.RegistrationOf(u.ID)
		units.rows = append(units.rows, []any{i + 1, u.Name, strings.Join(roles, "; "), strings.Join(reps, "; "), len(ur.Pledges)})
		_, state, _ := strings.Cut(stateLabel[ur.State].VI, " ")
		if len(ur.Pledges) == 0 {
			pledges.rows = append(pledges.rows, []any{u.Name, nil, noPledges, nil, nil, nil, nil, state})
		}
		for j, p := range ur.Pledges {
			var number any
			if p.Target.Number != nil {
				number = *p.Target.Number
			}
			pledges.rows = append(pledges.rows, []any{u.Name, j + 1, p.Title, p.Target.String(), number, p.Target.Measure, dayOf(p.Due, loc), state})
		}
	}
	criteria := sheet{name: "Tiêu chí", file: "tieu-chi.csv", cols: []column{{"STT", 6}, {"Tiêu chí", 60}, {"Điểm tối đa", 14}}}
	for i, c := range b.Registration.Criteria {
		criteria.rows = append(criteria.rows, []any{i + 1, c.Title, c.MaxPoints})
	}
	criteria.rows = append(criteria.rows, []any{nil, "Tổng cộng", b.CriteriaTotal()})
	return []sheet{units, pledges, criteria}
}

// historySheet is the history of the block's year y, the year of b (cur
// is the block now): a row per entry, oldest first, with its time, who
// (marked as administrator), what as /history says it in Vietnamese, the
// unit it is about, and the values before and after as kept. The
// history runs on across the turns of the year: the year's entries follow
// its setting up, or the turn into it, up to the turn to the next year,
// which closes it (with the offices the elected units take up then), read
// from the newest entry back to the year's start.
func (r *Router) historySheet(ctx context.Context, b, cur *thidua.Block) (sheet, error) {
	s := sheet{name: "Lịch sử", file: "lich-su.csv", landscape: true, cols: []column{
		{"Thời gian", 17}, {"Người thực hiện", 24}, {"Thao tác", 30}, {"Đơn vị", 28}, {"Trước", 45}, {"Sau", 45},
	}}
	year := strconv.Itoa(b.Year)
	in := b.Year == cur.Year // the current year runs to the newest entry
	removed := map[string]string{}
	var events []thidua.Event
	_, _, err := r.walkHistory(ctx, b.ID, func(e thidua.Event) bool {
		noteRemoval(e, removed)
		if e.Action == "year.start" && e.After == year {
			return false
		}
		in = in || e.Action == "year.start" && e.Before == year
		if in {
			events = append(events, e)
		}
		return true
	})
	if err != nil {
		return s, err
	}
	for _, e := range slices.Backward(events) {
		who := e.ActorName
		if e.MarkedAdmin() {
			who += msgAsAdmin.VI
		}
		unit := b.UnitName(e.Subject)
		if unit == "" {
			unit = cmp.Or(cur.UnitName(e.Subject), removed[e.Subject])
		}
		s.rows = append(s.rows, []any{momentOf(e.At, r.cfg.Location), who, r.actionName(bot.VI, e.Action), unit, e.Before, e.After})
	}
	return s, nil
}

// noPledges stands in the pledge columns of a unit that registered none.
const noPledges = "(chưa đăng ký nội dung)"

// notInReport stands in the status column of a pledge that the unit's
// report for the period left out.
const notInReport = "không báo cáo nội dung này"

// statusText names a unit's status for a period in the export.
var statusText = map[thidua.ReportStatus]string{
	thidua.StatusOnTime:  "đúng hạn",
	thidua.StatusLate:    "nộp muộn",
	thidua.StatusMissing: "quá hạn, chưa nộp",
	thidua.StatusPending: "chưa đến hạn",
	thidua.StatusNotOwed: "chưa vào khối khi hết hạn",
}

// resultsSheet has a row per period, unit and pledge: the value reported
// against the target, the completion, and the report's status, date,
// sender, note and evidence.
func (r *Router) resultsSheet(b *thidua.Block, now time.Time) sheet {
	loc := r.cfg.Location
	s := sheet{name: "Kết quả", file: "ket-qua.csv", landscape: true, cols: []column{
		{"Kỳ", 14}, {"Hạn kỳ", 12}, {"Đơn vị", 26}, {"STT", 6}, {"Nội dung", 40}, {"Chỉ tiêu", 16},
		{"Giá trị báo cáo", 12}, {"Tính theo", 14}, {"Hoàn thành", 12}, {"Trạng thái", 14},
		{"Ngày gửi", 12}, {"Người gửi", 16}, {"Ghi chú", 30}, {"Minh chứng", 10},
	}}
	for _, p := range b.Periods() {
		for _, u := range b.Units {
			status := statusText[b.ReportStatusOf(u.ID, p, now)]
			rep, reported := b.Report(u.ID, p.ID)
			var sent, by, evidence any
			if reported {
				sent, by, evidence = dayOf(rep.Submitted.At, loc), rep.Submitted.Name, len(rep.Evidence)
			}
			ps := b.RegistrationOf(u.ID).Pledges
			if len(ps) == 0 {
				s.rows = append(s.rows, []any{p.Name, dayOf(p.Due, loc), u.Name, nil, noPledges, nil, nil, nil, nil, status, sent, by, nil, evidence})
			}
			for j, pl := range ps {
				var value, unit, done, note any
				st := status
				if e, ok := rep.Entry(pl.ID); ok {
					value, unit, note = e.Value, pl.Target.Measure, e.Note
					if e.OfTarget {
						unit = "% chỉ tiêu"
					}
					if c, ok := e.Completion(pl); ok {
						done = pct(c)
					}
				} else if reported {
					st = notInReport
				}
				s.rows = append(s.rows, []any{p.Name, dayOf(p.Due, loc), u.Name, j + 1, pl.Title, pl.Target.String(), value, unit, done, st, sent, by, note, evidence})
			}
		}
	}
	return s
}

// progressSheet is the progress board: each unit's completion of its
// measurable targets and its status for each period, the most advanced
// first.
func progressSheet(b *thidua.Block, now time.Time) sheet {
	ps := b.Periods()
	s := sheet{name: "Tiến độ", file: "tien-do.csv", landscape: len(ps) > 3, cols: []column{{"Thứ tự", 8}, {"Đơn vị", 36}, {"Hoàn thành chỉ tiêu", 14}}}
	for _, p := range ps {
		s.cols = append(s.cols, column{p.Name, 14})
	}
	for i, up := range b.Progress(now) {
		var done any
		if up.Measurable > 0 {
			done = pct(up.Completion)
		}
		row := []any{i + 1, b.UnitName(up.UnitID), done}
		for _, st := range up.Statuses {
			row = append(row, statusText[st])
		}
		s.rows = append(s.rows, row)
	}
	return s
}

// scoresSheet lists each unit's scores criterion by criterion, its own and
// the block's, with its totals, the units in the order of the ranking; each
// of a unit's rows gives its rank (units with equal agreed totals share
// one, as in /scores; none for a unit not agreed on) and ends with the
// award the block proposes it for, so that the sheet filters by either.
func scoresSheet(b *thidua.Block) sheet {
	s := sheet{name: "Chấm điểm", file: "cham-diem.csv", landscape: true, cols: []column{
		{"Đơn vị", 30}, {"Hạng", 7}, {"STT", 6}, {"Tiêu chí", 40}, {"Điểm tối đa", 10}, {"Tự chấm", 10}, {"Ghi chú tự chấm", 30},
		{"Bình xét", 10}, {"Ghi chú bình xét", 30}, {"Đề nghị khen thưởng", 24},
	}}
	for _, st := range b.Ranking() {
		name, us, award := b.UnitName(st.UnitID), b.ScoreOf(st.UnitID), b.ProposalOf(st.UnitID)
		var rank any
		if st.Rank > 0 {
			rank = st.Rank
		}
		for i, c := range b.Registration.Criteria {
			self, selfNote := scoreCell(us.Self, c.ID)
			reviewed, reviewedNote := scoreCell(us.Reviewed, c.ID)
			s.rows = append(s.rows, []any{name, rank, i + 1, c.Title, c.MaxPoints, self, selfNote, reviewed, reviewedNote, award})
		}
		s.rows = append(s.rows, []any{name, rank, nil, "Tổng cộng", b.CriteriaTotal(), totalCell(st.Self), totalNote(st.Self), totalCell(st.Reviewed), totalNote(st.Reviewed), award})
	}
	return s
}

// noExemplars stands in the table of the nominations of a year without
// any.
const noExemplars = "(chưa đề nghị cá nhân nào)"

// exemplarsSheet lists the outstanding individuals the units nominate, as
// /exemplars lists them: numbered in the units' order, with their number
// in the list ("3.2"), whether they hold a leadership or management post
// and whether their position (with certainty or not, see
// thidua.Exemplar.Uncertain) or a mark said so, who recorded them last and
// when; then the count and the share against the aim.
func (r *Router) exemplarsSheet(b *thidua.Block) sheet {
	s := sheet{name: "Cá nhân điển hình", file: "ca-nhan-dien-hinh.csv", landscape: true, cols: []column{
		{"STT", 6}, {"Đơn vị", 28}, {"Số", 7}, {"Họ và tên", 26}, {"Chức vụ", 30}, {"Giữ chức vụ lãnh đạo, quản lý", 14},
		{"Xếp loại theo", 12}, {"Thành tích", 45}, {"Người ghi", 18}, {"Thời gian ghi", 17},
	}}
	for i, u := range b.Units {
		for j, e := range b.ExemplarsOf(u.ID) {
			leader, how := "Không", "chức vụ"
			if e.Leader {
				leader = "Có"
			}
			switch {
			case e.Marked:
				how = "ghi rõ"
			case e.Uncertain():
				how = "chức vụ, chưa chắc"
			}
			var by, at any
			if e.By != nil {
				by, at = e.By.Name, momentOf(e.By.At, r.cfg.Location)
			}
			s.rows = append(s.rows, []any{len(s.rows) + 1, u.Name, codeOf(i+1, j+1), e.Name, e.Position, leader, how, e.Achievement, by, at})
		}
	}
	t := b.ExemplarTally()
	total := []any{nil, noExemplars, nil, nil, nil, nil, nil, nil, nil, nil}
	if t.Total > 0 {
		total = []any{nil, "Tổng cộng", nil, fmt.Sprintf("%d người", t.Total), nil, nil, nil, exemplarTally(bot.VI, t), nil, nil}
	}
	s.rows = append(s.rows, total)
	return s
}

// scoreCell is a criterion's points in a list of scores and their note, or
// empty cells.
func scoreCell(scores []thidua.Score, criterionID string) (points, note any) {
	if sc, ok := thidua.ScoreFor(scores, criterionID); ok {
		return sc.Points, sc.Note
	}
	return nil, nil
}

// totalCell is a total's points, or an empty cell when nothing is scored.
func totalCell(t thidua.ScoreTotal) any {
	if scored, _ := t.Scored(); scored == 0 {
		return nil
	}
	return t.Points
}

// totalNote says, beside a total that covers only some criteria, how many
// ("chấm 2/3 tiêu chí", as /scores has it); an empty cell otherwise.
func totalNote(t thidua.ScoreTotal) any {
	if scored, of := t.Scored(); scored > 0 && !t.Complete() {
		return fmt.Sprintf("chấm %d/%d tiêu chí", scored, of)
	}
	return nil
}

// paperA4 is the paper size code of A4 in a workbook's page setup.
const paperA4 = 9

// workbook writes the sheets as an Excel workbook: on each sheet a title
// row, a header row frozen and repeated on every printed page, bordered
// cells with wrapped text in rows as tall as it is (see Row heights),
// dates dd/mm/yyyy, percentages, and the page set up for A4, fitted to the
// width.
func workbook(title string, sheets []sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	var errs []error
	for i, s := range sheets {
		if i == 0 {
			errs = append(errs, f.SetSheetName(f.GetSheetName(0), s.name))
		} else if _, err := f.NewSheet(s.name); err != nil {
			errs = append(errs, err)
		}
		errs = append(errs, writeSheet(f, st, title, s))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return unfixRowHeights(buf.Bytes())
}

// Row heights. Excel sizes a row to its wrapped text when it opens a
// workbook, but LibreOffice shows each row at the height written in the
// file, one line where none is: the workbook gives each row of wrapped
// text a height estimated from its text (see wrappedLines), numbers and
// dates not wrapping, and leaves Excel to size it itself (see
// unfixRowHeights).
const (
	// lineHeight is the height of a line of text, in points: a line of
	// Calibri 11, the workbook's font.
	lineHeight = 15
	// textPerWidth is the characters of text a line holds per unit of
	// column width (the width of a digit in the workbook's font), counted
	// short. LibreOffice 7.4 without Calibri or Carlito, writing in DejaVu
	// Sans, fits about 1.05 characters of Vietnamese text per unit, but
	// fewer in a narrow column, where a line breaks between words, or in
	// capitals: 0.9 keeps every text of a check of names, statuses,
	// pledges and notes in columns 12 to 60 wide within its estimate.
	textPerWidth = 0.9
	// headPerWidth is textPerWidth for the headers, in bold.
	headPerWidth = 0.75
)

// wrappedLines estimates the lines text takes wrapped in a column of width
// units holding perWidth characters each: the characters of each of its
// lines over those a line holds, rounded up.
func wrappedLines(text string, width, perWidth float64) int {
	lines := 0
	for line := range strings.SplitSeq(text, "\n") {
		lines += max(1, int(math.Ceil(float64(utf8.RuneCountInString(line))/(width*perWidth))))
	}
	return lines
}

// fitRow sets the height of a row of wrapped text to its lines, up to the
// highest row Excel takes; a row of one line keeps the default height.
func fitRow(f *excelize.File, sheet string, row, lines int) error {
	if lines <= 1 {
		return nil
	}
	return f.SetRowHeight(sheet, row, min(float64(lines)*lineHeight, excelize.MaxRowHeight))
}

// customHeight is the attribute that marks a row's height as set by hand,
// in the start tag of a row in a worksheet's XML, with what precedes it in
// the tag: excelize writes it as true, Excel as 1.
var customHeight = regexp.MustCompile(`(<row\s[^>]*?)\s+customHeight="(?:true|1)"`)

// unfixRowHeights removes customHeight from the rows of a workbook that
// excelize wrote, and leaves their height (ht): Excel keeps a row's height
// marked so as the user's and sizes a row without it to its contents when
// it opens the file, while LibreOffice takes the height either way (see
// https://github.com/qax-os/excelize/issues/2385; excelize's SetRowHeight
// always marks the row). The rows are in the worksheet parts, rewritten
// with the attribute removed from their rows' start tags; the other parts
// are copied as they are, compressed, in the same order.
func unfixRowHeights(book []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if ok, _ := path.Match("xl/worksheets/*.xml", zf.Name); !ok {
			if err := zw.Copy(zf); err != nil {
				return nil, err
			}
			continue
		}
		data, err := fs.ReadFile(zr, zf.Name)
		if err != nil {
			return nil, err
		}
		// A zero Modified keeps the part's MS-DOS time as it was, without
		// an extended timestamp added.
		h := zf.FileHeader
		h.Modified = time.Time{}
		w, err := zw.CreateHeader(&h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(customHeight.ReplaceAll(data, []byte("$1"))); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// workbookFont is the workbook's typeface, excelize's default, which the
// row heights are estimated for (see lineHeight).
const workbookFont = "Calibri"

// styles are the cell styles of the workbook.
type styles struct{ title, head, text, number, date, moment, percent int }

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	dateFmt, momentFmt := "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	var s styles
	var errs []error
	for _, d := range []struct {
		id    *int
		style excelize.Style
	}{
		// The title's and headers' fonts are named: a font without a name
		// is drawn in a serif typeface by LibreOffice.
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 13, Family: workbookFont}}},
		{&s.head, excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: workbookFont}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.text, excelize.Style{Border: border, Alignment: top}},
		{&s.number, excelize.Style{Border: border, Alignment: top}},
		{&s.date, excelize.Style{Border: border, Alignment: top, CustomNumFmt: &dateFmt}},
		{&s.moment, excelize.Style{Border: border, Alignment: top, CustomNumFmt: &momentFmt}},
		{&s.percent, excelize.Style{Border: border, Alignment: top, NumFmt: 9}}, // 0%
	} {
		id, err := f.NewStyle(&d.style)
		*d.id = id
		errs = append(errs, err)
	}
	return s, errors.Join(errs...)
}

// writeSheet fills one worksheet.
func writeSheet(f *excelize.File, st styles, title string, s sheet) error {
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	name := s.name
	last, _ := excelize.ColumnNumberToName(len(s.cols))
	add(f.SetCellStr(name, "A1", title+" — "+s.name))
	add(f.SetCellStyle(name, "A1", "A1", st.title))
	for j, c := range s.cols {
		col, _ := excelize.ColumnNumberToName(j + 1)
		add(f.SetCellStr(name, col+"2", c.head))
		add(f.SetColWidth(name, col, col, c.width))
	}
	add(f.SetCellStyle(name, "A2", last+"2", st.head))
	lines := 1
	for _, c := range s.cols {
		lines = max(lines, wrappedLines(c.head, c.width, headPerWidth))
	}
	add(fitRow(f, name, 2, lines))
	for i, row := range s.rows {
		lines = 1
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+3)
			style := st.text
			switch v := v.(type) {
			case string:
				add(f.SetCellStr(name, cell, v))
				lines = max(lines, wrappedLines(v, s.cols[j].width, textPerWidth))
			case code:
				add(f.SetCellStr(name, cell, string(v)))
			case int:
				add(f.SetCellInt(name, cell, int64(v)))
				style = st.number
			case float64:
				add(f.SetCellFloat(name, cell, v, -1, 64))
				style = st.number
			case day:
				add(f.SetCellValue(name, cell, time.Date(v.y, time.Month(v.m), v.d, 0, 0, 0, 0, time.UTC)))
				style = st.date
			case moment:
				add(f.SetCellValue(name, cell, time.Date(v.y, time.Month(v.m), v.d, v.h, v.mi, 0, 0, time.UTC)))
				style = st.moment
			case pct:
				add(f.SetCellFloat(name, cell, float64(v)/100, -1, 64))
				style = st.percent
			}
			add(f.SetCellStyle(name, cell, cell, style))
		}
		add(fitRow(f, name, i+3, lines))
	}
	add(f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}))
	add(f.AutoFilter(name, fmt.Sprintf("A2:%s%d", last, len(s.rows)+2), nil))
	orientation, size, one, zero, fit := "portrait", paperA4, 1, 0, true
	if s.landscape {
		orientation = "landscape"
	}
	add(f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}))
	add(f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}))
	add(f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: "&CTrang &P/&N"}))
	add(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$2:$2", name), Scope: name}))
	return errors.Join(errs...)
}

// formulaStart holds the characters that make a spreadsheet take the text
// of a cell that starts with one for a formula.
const formulaStart = "=+-@\t\r"

// csvText defuses text that a spreadsheet would take for a formula: where a
// cell would start with one of formulaStart, at the start of the text or
// right after a semicolon, it puts an apostrophe, so that opening the file
// runs nothing. A spreadsheet splits a line on the semicolon where the list
// separator of the regional settings is one, as Excel does under
// Vietnamese settings, and a cell starts after it then, whatever the CSV
// quotes. Text with nothing to defuse is returned as it is.
func csvText(s string) string {
	var out []byte
	last := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(formulaStart, s[i]) < 0 || (i > 0 && s[i-1] != ';') {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(s)+2)
		}
		out = append(append(out, s[last:i]...), '\'')
		last = i
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

// utf8BOM starts each CSV file, so that Excel reads it as UTF-8 and keeps
// the diacritics.
const utf8BOM = "\ufeff"

// csvZip writes each sheet as a CSV file (UTF-8 with a byte order mark,
// comma-separated, CRLF line ends, cells written as csvCell writes them)
// into a zip.
func csvZip(sheets []sheet, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, s := range sheets {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: s.file, Method: zip.Deflate, Modified: now})
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil, err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		heads := make([]string, len(s.cols))
		for i, c := range s.cols {
			heads[i] = csvCell(c.head) // the progress table's are period names
		}
		if err := cw.Write(heads); err != nil {
			return nil, err
		}
		for _, row := range s.rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = csvCell(v)
			}
			if err := cw.Write(rec); err != nil {
				return nil, err
			}
		}
		if cw.Flush(); cw.Error() != nil {
			return nil, cw.Error()
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// csvCell writes a cell's value so that a spreadsheet reads it the same
// under any regional settings, and right under Vietnamese ones: numbers
// without thousands grouping and with a decimal comma («1200», «1234,5»,
// «60,5%»), which no settings read as another number (those with a
// decimal point keep «1234,5» as text); dates and times as ISO 8601
// («2026-12-01», «2026-12-01 17:00»), which a spreadsheet reads as that
// date under any settings, shown in the reader's own format (or, as
// LibreOffice does a time when told to detect no special numbers, leaves
// as the text written). A code, and text that a
// spreadsheet would turn into a number or a date (see numberLike: a target
// «1.200» or «40%», a note «30/11»), is written as the formula ="3.10",
// the standard way to have Excel, LibreOffice and Google Sheets keep a CSV
// field as text, and the only formula the export writes: it holds
// nothing but digits and . , / : - %, and other text that could open a
// formula is defused (see csvText).
func csvCell(v any) string {
	switch v := v.(type) {
	case string:
		if numberLike(v) {
			return csvCell(code(v))
		}
		return csvText(v)
	case code:
		return `="` + string(v) + `"`
	case int:
		return strconv.Itoa(v)
	case float64:
		return csvNumber(v)
	case day:
		return v.String()
	case moment:
		return v.String()
	case pct:
		return csvNumber(math.Round(float64(v)*100)/100) + "%"
	}
	return ""
}

// csvNumber writes a number as thidua.FormatNumber does, with a decimal
// comma, but without the dots grouping thousands, which a spreadsheet
// under English settings reads as a decimal point (1.200 as one and two
// tenths).
func csvNumber(v float64) string {
	return strings.ReplaceAll(thidua.FormatNumber(v), ".", "")
}

// numberChars are the characters of the text that a spreadsheet, under
// some regional settings, reads as a number, a percentage, a date or a
// time: «1.200», «25,3», «40%», «30/11», «12/2026», «17:00».
const numberChars = "0123456789.,/:-%"

// numberLike reports whether text starts with a digit and holds nothing
// but numberChars, so that a spreadsheet could read it as other than
// text, and csvCell keeps it as text.
func numberLike(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9' && strings.Trim(s, numberChars) == ""
}
