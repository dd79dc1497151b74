using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Clarifai.API.Tests
{
    /// <summary>Process figures for the leak tests (Linux, glibc).</summary>
    internal static class Memory
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct MallInfo2
        {
            public UIntPtr arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
        }

        [DllImport("libc.so.6")]
        private static extern MallInfo2 mallinfo2();

        /// <summary>Bytes allocated with malloc and not freed, in every arena (the library's heap is malloc's).</summary>
        public static long NativeHeapBytes()
        {
            MallInfo2 m = mallinfo2();
            return (long)(ulong)m.uordblks + (long)(ulong)m.hblkhd;
        }

        public static int OpenFiles()
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
    }
}
