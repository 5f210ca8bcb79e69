package jpack.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import jpack.config.InputSpec;

/**
 * GNU parallel's input sources turned into rows, lazily: the cartesian product of the groups of
 * sources in GNU parallel's order (the first group varies slowest, the last fastest), where a
 * group is a source and the ones linked to it (:::+, ::::+: side by side, ending with the
 * shortest) or, with --link, all of them (side by side, the shorter ones wrapping round to
 * their first value until the longest ends). A row is the columns of its sources' records, in
 * the sources' order.
 *
 * <p>Memory: the first group is read as the rows are taken and never held (a single source,
 * however long, streams, from a pipe too); every later group is read whole before the first
 * row, because the product goes through it again for each row of the groups before it and an
 * empty one means no rows at all. So 10,000 values × 1,000 values hold 1,000 values, and give
 * their 10 million rows one at a time. Re-reading the later files instead would save memory
 * only for large later sources, could not work for standard input, and would see a file that
 * changes during the run; GNU parallel holds them too. A --link group with several sources
 * keeps what it read, to wrap round. As GNU parallel, an empty source is one empty value in a
 * product (no rows when every source is empty), and no rows at all with --link.
 */
public final class Sweep {
  private final List<Group> groups = new ArrayList<>();
  private final List<String> names;
  /** The rows of the groups after the first, held; index 0 unused. */
  private final List<List<List<String>>> held = new ArrayList<>();
  private int[] at;
  private List<String> firstRow;
  private boolean started;
  private boolean done;

  /**
   * Opens every source and reads the headers and the groups after the first.
   *
   * @param stdin the stream of a :::: - (or -a -) source
   */
  public Sweep(InputSpec.Sweep spec, InputStream stdin, Consumer<String> warn)
      throws IOException, InputException {
    List<String> allNames = new ArrayList<>();
    List<Records> opened = new ArrayList<>();
    boolean allEmpty = true;
    for (InputSpec.Source s : spec.sources()) {
      Records r;
      try {
        r = Records.of(s, spec, stdin, warn);
      } catch (NoSuchFileException e) {
        throw new InputException("cannot open input file '" + e.getFile()
            + "': No such file or directory");
      } catch (IOException e) {
        throw new InputException("cannot open input file: " + e.getMessage());
      }
      if (spec.header()) {
        List<String> header = r.next();
        allNames.addAll(header == null ? List.of() : header);
      }
      List<String> first = r.next();
      allEmpty &= first == null;
      // As GNU parallel: in a product an empty source is one empty value (unless all are
      // empty); with --link it leaves nothing to take side by side.
      opened.add(first != null ? Records.after(first, r)
          : spec.linkAll() ? r : Records.after(List.of(""), r));
    }
    done = allEmpty;
    Group group = null;
    for (int i = 0; i < opened.size(); i++) {
      if (group == null || !(spec.sources().get(i).linked() || spec.linkAll())) {
        group = new Group(spec.linkAll());
        groups.add(group);
      }
      group.sources.add(opened.get(i));
    }
    names = Collections.unmodifiableList(allNames);
    held.add(null);
    for (int g = 1; g < groups.size(); g++) {
      List<List<String>> rows = new ArrayList<>();
      for (List<String> row = groups.get(g).next(); row != null; row = groups.get(g).next()) {
        rows.add(row);
      }
      held.add(rows);
      if (rows.isEmpty()) {
        done = true; // a product with an empty factor is empty
      }
    }
  }

  /** The names of the columns (--header), in column order; empty without a header. */
  public List<String> names() {
    return names;
  }

  /** The next row's values, or null when there are no more. */
  public List<String> next() throws IOException, InputException {
    if (done) {
      return null;
    }
    if (!started) {
      started = true;
      at = new int[groups.size()];
      firstRow = groups.get(0).next();
    } else {
      int g = groups.size() - 1;
      while (g > 0 && ++at[g] == held.get(g).size()) {
        at[g] = 0;
        g--;
      }
      if (g == 0) {
        firstRow = groups.get(0).next();
      }
    }
    if (firstRow == null) {
      done = true;
      return null;
    }
    if (groups.size() == 1) {
      return firstRow;
    }
    List<String> row = new ArrayList<>(firstRow);
    for (int g = 1; g < groups.size(); g++) {
      row.addAll(held.get(g).get(at[g]));
    }
    return row;
  }

  /** A source and the ones linked to it: their records side by side. */
  private static final class Group {
    final List<Records> sources = new ArrayList<>(1);
    /** --link: the shorter sources wrap round; else (:::+) the shortest ends the group. */
    final boolean wrap;
    /** With wrap: what each source gave so far, and whether it ended. */
    private List<List<List<String>>> seen;
    private boolean[] ended;
    private long row;

    Group(boolean wrap) {
      this.wrap = wrap;
    }

    List<String> next() throws IOException, InputException {
      if (sources.size() == 1) {
        return sources.get(0).next();
      }
      if (!wrap) {
        List<String> out = new ArrayList<>();
        for (Records r : sources) {
          List<String> rec = r.next();
          if (rec == null) {
            return null;
          }
          out.addAll(rec);
        }
        return out;
      }
      if (seen == null) {
        seen = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
          seen.add(new ArrayList<>());
        }
        ended = new boolean[sources.size()];
      }
      List<List<String>> recs = new ArrayList<>(sources.size());
      boolean fresh = false;
      for (int i = 0; i < sources.size(); i++) {
        List<String> rec = ended[i] ? null : sources.get(i).next();
        if (rec == null) {
          ended[i] = true;
          if (seen.get(i).isEmpty()) {
            return null; // an empty source: nothing to wrap round to
          }
        } else {
          seen.get(i).add(rec);
          fresh = true;
        }
        recs.add(rec);
      }
      if (!fresh) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < sources.size(); i++) {
        List<List<String>> s = seen.get(i);
        out.addAll(recs.get(i) != null ? recs.get(i) : s.get((int) (row % s.size())));
      }
      row++;
      return out;
    }
  }
}
