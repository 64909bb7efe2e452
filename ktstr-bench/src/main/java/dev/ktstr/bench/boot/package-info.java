/** Boot time of a guest through the harness, side by side with a bare QEMU command line. */
package dev.ktstr.bench.boot;
