package jpack.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * --results: each task's output saved instead of printed, as GNU parallel saves it.
 * <ul>
 *   <li>DIR: GNU parallel's tree, DIR/1/VALUE/2/VALUE/... (the --header names instead of the
 *       numbers; in a value \ / TAB NUL are written \\ \_ \t \0), with the files seq, stdout and
 *       stderr of the task.
 *   <li>FILE.tsv, FILE.csv: one table (Apache Commons CSV; RFC 4180 quoting, TAB-separated for
 *       .tsv, as GNU parallel writes them), a header line then a row per task: GNU parallel's
 *       columns Seq Host Starttime JobRuntime Send Receive Exitval Signal Command, the values
 *       (V1 ... or the --header names), Stdout, Stderr; then jpack's MaxRSSkB UserSec SysSec
 *       (empty when unknown), StdoutFile and StderrFile.
 *   <li>FILE.json: JSON Lines, an object a line with GNU parallel's members (Seq ... Command, V,
 *       Stdout, Stderr), then Params (by --header name), MaxRSSkB, UserSec, SysSec and
 *       StdoutFile, StderrFile, each only when it has something to say.
 * </ul>
 * A stream over {@value #INLINE} bytes is not put in the table: it goes to FILE.out/SEQ.stdout
 * (or .stderr), which StdoutFile names. Each row is written whole, in one write, once the task
 * has ended: a killed run leaves a table of whole rows but perhaps a cut last one, which a
 * --resume cuts off before it appends; it writes no row for a task the table has already.
 * Strings are bytes as jpack reads them (ISO-8859-1), so the table holds the tasks' bytes as
 * they wrote them (JSON escapes the control characters only, as GNU parallel does).
 */
public final class Results implements AutoCloseable {
  /** A stream up to this size goes into the table; a larger one into a file of its own. */
  public static final int INLINE = 64 * 1024;
  private static final List<String> FIRST = List.of("Seq", "Host", "Starttime", "JobRuntime",
      "Send", "Receive", "Exitval", "Signal", "Command");
  private static final List<String> LAST = List.of("Stdout", "Stderr", "MaxRSSkB", "UserSec",
      "SysSec", "StdoutFile", "StderrFile");

  /**
   * One finished task, as its row shows it.
   *
   * @param maxRssKb its peak resident set (KiB), or -1 when unknown; likewise the CPU times
   */
  public record Row(long seq, String host, long startMillis, long runtimeNanos, long send,
      long receive, int exitval, int signal, String command, List<String> values,
      List<String> names, long maxRssKb, long userMicros, long sysMicros) {}

  private final jpack.config.Results.Kind kind;
  private final Path path;
  private final FileChannel table;
  private final CSVFormat csv;
  /** The tasks the table had when a --resume opened it. */
  private final BitSet had;
  /** The table's count of value columns, -1 until its header is written (with the first row). */
  private int columns;

  private Results(jpack.config.Results cfg, FileChannel table, BitSet had, int columns) {
    this.kind = cfg.kind();
    this.path = cfg.path();
    this.table = table;
    this.had = had;
    this.columns = columns;
    this.csv = CSVFormat.DEFAULT.builder().setDelimiter(kind == jpack.config.Results.Kind.TSV
        ? "\t" : ",").setRecordSeparator("").setQuoteMode(QuoteMode.MINIMAL).build();
  }

  /**
   * Opens the directory or the table: a new table replaces an old one, unless resume: then it is
   * continued (a cut last row cut off).
   */
  public static Results open(jpack.config.Results cfg, boolean resume) throws IOException {
    if (!cfg.kind().table()) {
      Files.createDirectories(cfg.path());
      return new Results(cfg, null, new BitSet(), -1);
    }
    Path p = cfg.path().toAbsolutePath();
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    if (!resume || !Files.exists(p)) {
      return new Results(cfg, FileChannel.open(p, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), new BitSet(), -1);
    }
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      TableScan scan = TableScan.read(ch, cfg.kind() == jpack.config.Results.Kind.JSON,
          cfg.kind() == jpack.config.Results.Kind.TSV ? '\t' : ',');
      ch.truncate(scan.wholeBytes());
      ch.position(scan.wholeBytes());
      return new Results(cfg, ch, scan.seqs(), scan.valueColumns());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Whether the table had this task when the run began (a --resume): no second row. */
  public boolean has(long seq) {
    return seq < Integer.MAX_VALUE && had.get((int) seq);
  }

  /** Saves one task's row (or directory) with its output. */
  public void write(Row row, Spool.Block block) throws IOException {
    if (kind == jpack.config.Results.Kind.DIR) {
      writeDir(row, block);
      return;
    }
    if (has(row.seq())) {
      return;
    }
    String[] out = stream(row.seq(), block == null ? null : block.out(), "stdout");
    String[] err = stream(row.seq(), block == null ? null : block.err(), "stderr");
    StringBuilder sb = new StringBuilder(256 + out[0].length() + err[0].length());
    if (kind == jpack.config.Results.Kind.JSON) {
      json(sb, row, out, err);
    } else {
      if (columns < 0) {
        columns = row.values().size();
        List<String> header = new ArrayList<>(FIRST);
        for (int i = 0; i < columns; i++) {
          String name = i < row.names().size() ? row.names().get(i) : "";
          header.add(name.isEmpty() ? "V" + (i + 1) : name);
        }
        header.addAll(LAST);
        sb.append(csv.format(header.toArray())).append('\n');
      }
      List<Object> f = new ArrayList<>(FIRST.size() + columns + LAST.size());
      f.add(row.seq());
      f.add(row.host());
      f.add(seconds(row.startMillis()));
      f.add(String.format(Locale.ROOT, "%.3f", row.runtimeNanos() / 1e9));
      f.add(row.send());
      f.add(row.receive());
      f.add(row.exitval());
      f.add(row.signal());
      f.add(row.command());
      List<String> v = row.values();
      for (int i = 0; i < columns; i++) {
        f.add(i >= v.size() ? "" : i < columns - 1 || v.size() == columns ? v.get(i)
            : String.join(" ", v.subList(i, v.size()))); // more than the header has: the last
      }
      f.add(out[0]);
      f.add(err[0]);
      f.add(row.maxRssKb() < 0 ? "" : Long.toString(row.maxRssKb()));
      f.add(micros(row.userMicros()));
      f.add(micros(row.sysMicros()));
      f.add(out[1]);
      f.add(err[1]);
      sb.append(csv.format(f.toArray())).append('\n');
    }
    ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    while (b.hasRemaining()) {
      table.write(b);
    }
  }

  private void json(StringBuilder sb, Row row, String[] out, String[] err) {
    sb.append("{ \"Seq\": ").append(row.seq()).append(", \"Host\": ");
    quote(sb, row.host()).append(", \"Starttime\": ").append(seconds(row.startMillis()))
        .append(", \"JobRuntime\": ")
        .append(String.format(Locale.ROOT, "%.3f", row.runtimeNanos() / 1e9))
        .append(", \"Send\": ").append(row.send()).append(", \"Receive\": ")
        .append(row.receive()).append(", \"Exitval\": ").append(row.exitval())
        .append(", \"Signal\": ").append(row.signal()).append(", \"Command\": ");
    quote(sb, row.command()).append(", \"V\": [ ");
    for (int i = 0; i < row.values().size(); i++) {
      quote(sb.append(i > 0 ? "," : ""), row.values().get(i));
    }
    sb.append(" ], \"Stdout\": ");
    quote(sb, out[0]).append(", \"Stderr\": ");
    quote(sb, err[0]);
    if (!row.names().isEmpty()) {
      sb.append(", \"Params\": { ");
      int n = Math.min(row.names().size(), row.values().size());
      for (int i = 0; i < n; i++) {
        quote(sb.append(i > 0 ? ", " : ""), row.names().get(i)).append(": ");
        quote(sb, row.values().get(i));
      }
      sb.append(" }");
    }
    if (row.maxRssKb() >= 0) {
      sb.append(", \"MaxRSSkB\": ").append(row.maxRssKb()).append(", \"UserSec\": ")
          .append(row.userMicros() < 0 ? "null" : micros(row.userMicros()))
          .append(", \"SysSec\": ")
          .append(row.sysMicros() < 0 ? "null" : micros(row.sysMicros()));
    }
    if (!out[1].isEmpty()) {
      quote(sb.append(", \"StdoutFile\": "), out[1]);
    }
    if (!err[1].isEmpty()) {
      quote(sb.append(", \"StderrFile\": "), err[1]);
    }
    sb.append(" }\n");
  }

  /** GNU parallel's jsonquote: \ and " escaped, control characters as \\u00XX. */
  private static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"');
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
  }

  private static String micros(long micros) {
    return micros < 0 ? "" : String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000,
        micros % 1_000_000);
  }

  /** A stream's text for the table and "", or "" and the file it went to (too large). */
  private String[] stream(long seq, Spool.Part part, String name) throws IOException {
    if (part == null || part.size() == 0) {
      return new String[] {"", ""};
    }
    if (part.size() <= INLINE) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) part.size());
      copy(part, Channels.newChannel(bytes));
      return new String[] {bytes.toString(StandardCharsets.ISO_8859_1), ""};
    }
    Path dir = Path.of(path + ".out");
    Files.createDirectories(dir);
    Path file = dir.resolve(seq + "." + name);
    try (FileChannel f = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      copy(part, f);
    }
    return new String[] {"", file.toString()};
  }

  private static void copy(Spool.Part part, WritableByteChannel to) throws IOException {
    Printer.copyPart(part, to);
  }

  /** DIR/1/VALUE/.../: seq, stdout, stderr, written anew (a rerun's replace the old). */
  private void writeDir(Row row, Spool.Block block) throws IOException {
    Path dir = path;
    List<String> v = row.values();
    List<String> names = new ArrayList<>(v.size());
    List<Integer> order = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      names.add(i < row.names().size() && !row.names().get(i).isEmpty() ? row.names().get(i)
          : Integer.toString(i + 1));
      order.add(i);
    }
    // GNU parallel's header_indexes_sorted: by the name's number (Perl's), then its text
    order.sort(java.util.Comparator.<Integer>comparingDouble(i -> number(names.get(i)))
        .thenComparing(i -> names.get(i)));
    for (int i : order) {
      dir = dir.resolve(escape(names.get(i))).resolve(escape(v.get(i)));
    }
    Files.createDirectories(dir);
    Files.write(dir.resolve("seq"), Long.toString(row.seq()).getBytes(StandardCharsets.US_ASCII));
    try (FileChannel out = create(dir.resolve("stdout"));
        FileChannel err = create(dir.resolve("stderr"))) {
      if (block != null) {
        Printer.copyPart(block.out(), out);
        Printer.copyPart(block.err(), err);
      }
    }
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)");

  /** A string's value as a number in Perl: its leading number, else 0. */
  static double number(String s) {
    java.util.regex.Matcher m = NUMBER.matcher(s);
    return m.find() ? Double.parseDouble(m.group().trim()) : 0;
  }

  private static FileChannel create(Path p) throws IOException {
    return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** GNU parallel's args_as_dirname: \ TAB NUL / as \\ \t \0 \_. */
  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\0", "\\0").replace("/", "\\_");
  }

  @Override
  public void close() throws IOException {
    if (table != null) {
      table.close();
    }
  }
}
