package handlers

import "testing"

func TestPlainTextAndShorten(t *testing.T) {
	if got := plainText(msgNoBlock.VI); got != "Nhóm này chưa được thiết lập khối thi đua. Quản trị viên nhóm gửi /setup <tên khối> để bắt đầu." {
		t.Fatalf("plainText = %q", got)
	}
	if got := shorten("Hội Nông dân tỉnh", 10); got != "Hội Nông …" {
		t.Fatalf("shorten = %q", got)
	}
	if got := shorten("😀😀😀", 5); got != "😀😀…" {
		t.Fatalf("shorten counts UTF-16 units: %q", got)
	}
	if got := shorten("ngắn", 10); got != "ngắn" {
		t.Fatalf("shorten = %q", got)
	}
}
