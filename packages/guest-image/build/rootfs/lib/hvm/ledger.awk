# The ledger's records, one a line: "<seq> <boot id> <data> <sum>", where <sum> is the Adler-32
# (RFC 1950) of the text before it, as 8 hex digits.
#   mode=gen:   print <count> records from sequence <first>, for boot <boot>.
#   mode=check: read a ledger; print "ok <records> <good bytes> <torn 0|1>" or "fail <reason>".
#               partial=1 says the file does not end in a newline (its last line is torn).
function adler32(s,    i, a, b, n) {
  a = 1; b = 0; n = length(s)
  for (i = 1; i <= n; i++) {
    a = (a + ord[substr(s, i, 1)]) % 65521
    b = (b + a) % 65521
  }
  return sprintf("%08x", b * 65536 + a)
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
      body = (first + i) " " boot " " sprintf("%08x%08x", int(rand() * 4294967296), int(rand() * 4294967296))
      print body " " adler32(body)
    }
    exit
  }
  records = 0; good = 0; bad = 0
}
mode == "check" {
  if (bad) { next }
  if (valid($0, records + 1)) { records++; good += length($0) + 1 }
  else { bad = NR }
}
END {
  if (mode != "check") exit
  last = NR
  if (partial && !bad) bad = last
  if (bad && bad < last) { print "fail record " bad " of " last " is damaged or out of sequence"; exit }
  print "ok " records " " good " " (bad ? 1 : 0)
}
