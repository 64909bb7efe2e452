package dev.ktstr.kvm.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/** {@code struct kvm_run} decoding at the x86-64 offsets (header, io, mmio, internal, emulation failure). */
class KvmRunTest {

    @Test
    void portIoExit() {
        try (Memory m = new Memory(8192)) {
            m.clear();
            KvmRun run = new KvmRun(m);
            m.setInt(8, KvmRun.EXIT_IO);
            m.setByte(32, (byte) KvmRun.IO_OUT);
            m.setByte(33, (byte) 2);
            m.setShort(34, (short) 0x604);
            m.setInt(36, 2);
            m.setLong(40, 0x1000);
            m.setShort(0x1000, (short) 0x2400);
            m.setShort(0x1002, (short) 0xBEEF);
            assertEquals(KvmRun.EXIT_IO, run.exitReason());
            assertEquals(KvmRun.IO_OUT, run.ioDirection());
            assertEquals(0x604, run.ioPort());
            assertEquals(2, run.ioCount());
            assertEquals(0x2400, run.ioData(0));
            assertEquals(0xBEEF, run.ioData(1));
            run.setIoData(1, 0x1234);
            assertEquals(0x1234, m.getShort(0x1002));
            run.setImmediateExit(true);
            assertEquals(1, m.getByte(1));
        }
    }

    @Test
    void mmioExit() {
        try (Memory m = new Memory(4096)) {
            m.clear();
            KvmRun run = new KvmRun(m);
            m.setLong(32, 0xD000_0020L);
            m.setInt(48, 4);
            m.setByte(52, (byte) 1);
            assertEquals(0xD000_0020L, run.mmioAddress());
            assertEquals(4, run.mmioLength());
            assertEquals(true, run.mmioIsWrite());
            run.setMmioData(-1);
            assertEquals(-1, m.getLong(40));
        }
    }

    @Test
    void emulationFailureCarriesInstructionBytes() {
        try (Memory m = new Memory(4096)) {
            m.clear();
            KvmRun run = new KvmRun(m);
            m.setInt(8, KvmRun.EXIT_INTERNAL_ERROR);
            m.setInt(32, KvmRun.INTERNAL_ERROR_EMULATION);
            m.setInt(36, 3);
            m.setLong(40, KvmRun.EMULATION_FLAG_INSTRUCTION_BYTES);
            m.setByte(48, (byte) 2);
            m.setByte(49, (byte) 0x0F);
            m.setByte(50, (byte) 0xC7);
            assertArrayEquals(new byte[] {0x0F, (byte) 0xC7}, run.emulationFailureBytes());
            assertEquals("emulation failure", KvmRun.suberrorName(run.internalSuberror()));
            m.setLong(40, 0);
            assertArrayEquals(new byte[0], run.emulationFailureBytes(), "no bytes without the flag");
            assertEquals("KVM_EXIT_SHUTDOWN", KvmRun.exitName(KvmRun.EXIT_SHUTDOWN));
        }
    }
}
