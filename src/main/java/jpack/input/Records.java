package jpack.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import jpack.config.InputSpec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of one input source of a sweep, each split into its columns: the values of :::,
 * or a stream's items (lines; -0 or -d items), or, with --csv, its CSV records. Strings are
 * ISO-8859-1, a char per byte, as everywhere in jpack.
 */
abstract class Records {
  /** The next record's columns, or null at the end. */
  abstract List<String> next() throws IOException, InputException;

  /** The records of a source; stdin is the stream of a :::: - source. */
  static Records of(InputSpec.Source source, InputSpec.Sweep sweep, InputStream stdin,
      Consumer<String> warn) throws IOException {
    InputSpec.Columns columns = sweep.columns();
    if (source instanceof InputSpec.Args a) {
      return new Values(a.values(), columns);
    }
    InputStream in = source instanceof InputSpec.InputFile f
        ? java.nio.file.Files.newInputStream(f.path()) : stdin;
    if (columns instanceof InputSpec.Csv csv) {
      return new Csv(new InputStreamReader(in, StandardCharsets.ISO_8859_1), csv.separator());
    }
    ItemReader items = new ItemReader(in, new InputSpec(null, sweep.framing(), null), true,
        Long.MAX_VALUE, warn);
    return new Items(items, columns);
  }

  /** first, then the rest of r's records. */
  static Records after(List<String> first, Records r) {
    return new Records() {
      private boolean taken;

      @Override
      List<String> next() throws IOException, InputException {
        if (!taken) {
          taken = true;
          return first;
        }
        return r.next();
      }
    };
  }

  /** The columns of one value by --colsep (empty ones kept, as GNU parallel's split -1). */
  static List<String> split(String value, InputSpec.Columns columns) {
    if (columns instanceof InputSpec.Separated s) {
      return List.of(Pattern.compile(s.regex()).split(value, -1));
    }
    return List.of(value);
  }

  /** The values given after :::. */
  private static final class Values extends Records {
    private final Iterator<String> values;
    private final InputSpec.Columns columns;

    Values(List<String> values, InputSpec.Columns columns) {
      this.values = values.iterator();
      this.columns = columns;
    }

    @Override
    List<String> next() throws IOException, InputException {
      if (!values.hasNext()) {
        return null;
      }
      String v = values.next();
      if (columns instanceof InputSpec.Csv csv) {
        List<String> r = new Csv(new StringReader(v), csv.separator()).next();
        return r == null ? List.of("") : r;
      }
      return split(v, columns);
    }
  }

  /** A stream's items, as ItemReader cuts them (one line, or a -0 / -d item, each). */
  private static final class Items extends Records {
    private final ItemReader items;
    private final InputSpec.Columns columns;

    Items(ItemReader items, InputSpec.Columns columns) {
      this.items = items;
      this.columns = columns;
    }

    @Override
    List<String> next() throws IOException, InputException {
      while (true) {
        switch (items.next()) {
          case ITEM:
            return split(items.item(), columns);
          case EOF:
            return null;
          default:
            break; // a line's end
        }
      }
    }
  }

  /**
   * --csv, by Apache Commons CSV: RFC 4180 with the separator given, an empty line an empty
   * field (as Text::CSV, which GNU parallel uses, reads it), a record's end CR LF or LF.
   */
  private static final class Csv extends Records {
    private final Iterator<CSVRecord> records;

    Csv(Reader in, char separator) throws IOException {
      CSVFormat format = CSVFormat.RFC4180.builder()
          .setDelimiter(separator)
          .setIgnoreEmptyLines(false)
          .get();
      records = format.parse(in).iterator();
    }

    @Override
    List<String> next() throws IOException, InputException {
      try {
        if (!records.hasNext()) {
          return null;
        }
        CSVRecord r = records.next();
        List<String> out = new ArrayList<>(r.size());
        r.forEach(out::add);
        return out;
      } catch (UncheckedIOException e) {
        // Commons CSV's iterator wraps a parse error (a quote not closed before the end, a
        // character after a closing quote) as an unchecked IOException
        throw new InputException("--csv: " + e.getCause().getMessage());
      }
    }
  }
}
