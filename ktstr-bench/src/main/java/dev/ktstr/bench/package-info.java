/**
 * Measured claims, one area per package, each a plain {@code main} that prints a small table and
 * compares side by side, in one run, with the alternative a user would pick.
 */
package dev.ktstr.bench;
