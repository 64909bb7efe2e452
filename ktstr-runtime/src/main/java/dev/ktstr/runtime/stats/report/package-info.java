/**
 * The self-contained HTML report of {@code ktstr stats report}: one file with inline CSS, inline SVG
 * charts drawn on the host in Java, and a little inline script for filtering; no network, no
 * external scripts or fonts. Pure rendering: it reads nothing from disk.
 */
package dev.ktstr.runtime.stats.report;
