package jpack.output;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.BitSet;

/**
 * What a --results table a killed run left holds, for --resume: the tasks of its whole rows, where
 * the whole rows end (a cut last row is cut off after), and its count of value columns. A row of a
 * .tsv or .csv ends at a newline outside quotes (a quote inside a field is doubled, so counting
 * quotes tells); a .json row is a line. The first field of a row is its Seq, never quoted.
 *
 * @param seqs the tasks of the whole rows
 * @param wholeBytes where the last whole row ends
 * @param valueColumns the header's value columns, or -1 when there is no header yet (or .json)
 */
record TableScan(BitSet seqs, long wholeBytes, int valueColumns) {
  /** The columns that are not values: GNU parallel's nine first, jpack's last seven. */
  private static final int OTHER_COLUMNS = 9 + 7;

  static TableScan read(FileChannel ch, boolean json, char separator) throws IOException {
    ch.position(0);
    InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
    BitSet seqs = new BitSet();
    long pos = 0;
    long whole = 0;
    boolean quoted = false;
    boolean header = !json;
    int fields = 1;
    int valueColumns = -1;
    boolean inFirstField = true;
    long seq = 0;
    boolean seqOk = false;
    int b;
    while ((b = in.read()) >= 0) {
      pos++;
      if (!json && b == '"') {
        quoted = !quoted;
      } else if (b == '\n' && !quoted) {
        if (header) {
          valueColumns = fields - OTHER_COLUMNS;
          header = false;
        } else if (seqOk && seq < Integer.MAX_VALUE) {
          seqs.set((int) seq);
        }
        whole = pos;
        fields = 1;
        inFirstField = true;
        seq = 0;
        seqOk = false;
      } else if (!quoted && !json && b == separator) {
        fields++;
        inFirstField = false;
      } else if (json && inFirstField && (b == ',' || b == '}')) {
        inFirstField = false; // "{ "Seq": N," : the first member ends
      } else if (inFirstField && b >= '0' && b <= '9') {
        seq = seq * 10 + (b - '0');
        seqOk = true;
      }
    }
    return new TableScan(seqs, whole, valueColumns);
  }
}
