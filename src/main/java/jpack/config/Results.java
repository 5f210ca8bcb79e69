package jpack.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * --results: where each task's output is saved instead of printed.
 *
 * @param path the directory (DIR) or the table's file
 * @param kind a directory tree in GNU parallel's layout, or a table in one of three formats
 */
public record Results(Path path, Kind kind) {
  /** The layout: GNU parallel's directory tree, or one table. */
  public enum Kind {
    DIR, TSV, CSV, JSON;

    public boolean table() {
      return this != DIR;
    }
  }

  /** By the name's ending, as GNU parallel decides: .tsv, .csv, .json (any case), else DIR. */
  public static Results of(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    Kind k = n.endsWith(".tsv") ? Kind.TSV : n.endsWith(".csv") ? Kind.CSV
        : n.endsWith(".json") ? Kind.JSON : Kind.DIR;
    return new Results(Path.of(name), k);
  }
}
