// Package workload holds what the load command (cmd/loadtest) types into
// the group: the pledges units register and the reports they submit. The
// benchmarks of the other packages type the same, so that each measures a
// piece of what the load command measures whole.
package workload

import (
	"strconv"
	"strings"
)

// PledgeLine is the k-th pledge (from 0) a unit registers, in the syntax of
// /pledge: in turn a count of houses with a due date, a count of members
// written with a Vietnamese thousands separator, and a percentage.
func PledgeLine(k int) string {
	switch k % 3 {
	case 0:
		n := strconv.Itoa(10 + k)
		return "Vận động xây " + n + " nhà đại đoàn kết cho hộ nghèo | " + n + " nhà | 30/11"
	case 1:
		return "Phát triển hội viên mới, nội dung số " + strconv.Itoa(k+1) + " | 1.200 hội viên"
	default:
		return "Tổ chức tuyên truyền, phổ biến pháp luật đợt " + strconv.Itoa(k+1) + " | 40%"
	}
}

// ReportLines are the lines of a report on a unit's first n pledges, in the
// syntax of /report: each pledge's number and value, in turn a value with a
// note, a number with a Vietnamese thousands separator, and a percentage.
func ReportLines(n int) []string {
	lines := make([]string, n)
	for k := range lines {
		no := strconv.Itoa(k + 1)
		switch k % 3 {
		case 0:
			lines[k] = no + " " + strconv.Itoa(5+k) + " đã khởi công " + strconv.Itoa(2+k) + " nhà"
		case 1:
			lines[k] = no + " 1.050"
		default:
			lines[k] = no + " " + strconv.Itoa(30+k) + "%"
		}
	}
	return lines
}

// Report is the body of a report on a unit's first n pledges, after the
// line naming the period: ReportLines, one a line.
func Report(n int) string { return strings.Join(ReportLines(n), "\n") }
