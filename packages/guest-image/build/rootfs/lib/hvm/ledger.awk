# The ledger's records, one a line: "<seq> <boot id> <data> <sum>", where <sum> is the Adler-32
# (RFC 1950) of the text before it, as 8 hex digits.
#   mode=gen:   print <count> records from sequence <first>, for boot <boot>.
#   mode=check: read a ledger; print "ok <records> <good bytes> <torn 0|1>" or "fail <reason>".
#               partial=1 says the file does not end in a newline: its last line is a torn
#               record a crash left, which is reported, not failed.
function adler32(s,    i, a, b, n) {
  a = 1; b = 0; n = length(s)
  for (i = 1; i <= n; i++) {
    a = (a + ord[substr(s, i, 1)]) % 65521
    b = (b + a) % 65521
  }
  return sprintf("%04x%04x", b, a)
}
function valid(line, expected,    f, n) {
  n = split(line, f, " ")
  if (n != 4 || f[1] != expected "") return 0
  return adler32(f[1] " " f[2] " " f[3]) == f[4]
}
BEGIN {
  for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i
  if (mode == "gen") {
    srand(seed)
    for (i = 0; i < count; i++) {
      data = ""
      for (j = 0; j < 4; j++) data = data sprintf("%04x", int(rand() * 65536))
      body = (first + i) " " boot " " data
      print body " " adler32(body)
    }
    exit
  }
  records = 0; good = 0; bad = 0
}
mode == "check" {
  if (bad) { next }
  lastlen = length($0)
  if (valid($0, records + 1)) { records++; good += length($0) + 1 }
  else { bad = NR }
}
END {
  if (mode != "check") exit
  last = NR
  # Only a last line without its newline can be a crash's torn record; other damage fails.
  if (partial && !bad) { bad = last; records--; good -= lastlen + 1 }
  if (bad && (bad < last || !partial)) {
    print "fail record " bad " of " last " is damaged or out of sequence"
    exit
  }
  print "ok " records " " good " " (bad ? 1 : 0)
}
