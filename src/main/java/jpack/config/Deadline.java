package jpack.config;

import java.time.Instant;

/**
 * When the run must be over, and where jpack learnt it.
 *
 * @param at the instant, or null when the run has no deadline
 * @param source where it came from (--deadline, the batch system and how), or why there is none
 */
public record Deadline(Instant at, String source) {}
