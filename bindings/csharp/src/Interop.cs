using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Clarifai.API
{
    /// <summary>
    /// What every type's nested <c>Native</c> class shares. include/clarifai.h is the reference
    /// for every function; strings go in as NUL-terminated UTF-8 byte arrays built by
    /// <see cref="Utf8"/>, never through the marshaller's string conversion (ANSI or UTF-16
    /// depending on the runtime), and come out as pointers read by <see cref="Utf8.PtrToString"/>.
    /// </summary>
    internal static class Interop
    {
        internal const string Library = "clarifai";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_string_free(IntPtr s);

        /// <summary>Takes an owned string out of the library: copies it, then frees (and so wipes) it.</summary>
        internal static string TakeString(IntPtr owned)
        {
            try
            {
                return Utf8.PtrToString(owned);
            }
            finally
            {
                clarifai_string_free(owned);
            }
        }
    }

    /// <summary>UTF-8 both ways, without relying on marshaller string conversions.</summary>
    internal static class Utf8
    {
        /// <summary>NUL-terminated UTF-8 of <paramref name="s"/>, or null for null.</summary>
        internal static byte[] Bytes(string s)
        {
            if (s == null)
                return null;
            int n = Encoding.UTF8.GetByteCount(s);
            byte[] b = new byte[n + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, b, 0);
            return b;
        }

        /// <summary>
        /// A required string argument. Null is .NET's ArgumentNullException; an embedded NUL cannot
        /// cross into C (the string would silently end there), so it is refused here. Every other
        /// check (empty, malformed, whitespace in a key, ...) is the library's.
        /// </summary>
        internal static byte[] Arg(string s, string paramName)
        {
            if (s == null)
                throw new ArgumentNullException(paramName);
            return OptionalArg(s, paramName);
        }

        /// <summary>Like <see cref="Arg"/>, but null stays null (an optional argument).</summary>
        internal static byte[] OptionalArg(string s, string paramName)
        {
            if (s == null)
                return null;
            if (s.IndexOf('\0') >= 0)
                throw new ArgumentException("must not contain a NUL character", paramName);
            return Bytes(s);
        }

        /// <summary>Overwrites a buffer that held a secret once the library has copied it.</summary>
        internal static void Wipe(byte[] b)
        {
            if (b != null)
                Array.Clear(b, 0, b.Length);
        }

        internal static unsafe string PtrToString(IntPtr p)
        {
            if (p == IntPtr.Zero)
                return null;
            byte* s = (byte*)p;
            int n = 0;
            while (s[n] != 0)
                n++;
            return n == 0 ? string.Empty : Encoding.UTF8.GetString(s, n);
        }

        /// <summary>
        /// The last <paramref name="count"/> characters of an ASCII C string, read without copying
        /// the rest (for a key's tail: the whole key never becomes a managed string).
        /// </summary>
        internal static unsafe string Tail(IntPtr p, int count)
        {
            if (p == IntPtr.Zero)
                return string.Empty;
            byte* s = (byte*)p;
            int n = 0;
            while (s[n] != 0)
                n++;
            if (n <= count)
                return string.Empty; // too short to show any of it safely
            return Encoding.ASCII.GetString(s + n - count, count);
        }
    }

    /// <summary>
    /// An array of C strings for the library (<c>const char *const *</c>): each string pinned for
    /// the life of this object. Null entries stay NULL.
    /// </summary>
    internal sealed class Utf8Array : IDisposable
    {
        private readonly List<GCHandle> pins;
        private readonly byte[][] strings;

        internal Utf8Array(byte[][] strings)
        {
            this.strings = strings;
            pins = new List<GCHandle>(strings.Length);
            Pointers = new IntPtr[strings.Length];
            try
            {
                for (int i = 0; i < strings.Length; i++)
                {
                    if (strings[i] == null)
                        continue;
                    GCHandle pin = GCHandle.Alloc(strings[i], GCHandleType.Pinned);
                    pins.Add(pin);
                    Pointers[i] = pin.AddrOfPinnedObject();
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Checked UTF-8 copies of <paramref name="values"/> (none may be null).</summary>
        internal static Utf8Array Of(IEnumerable<string> values, string paramName)
        {
            if (values == null)
                throw new ArgumentNullException(paramName);
            var list = new List<byte[]>();
            foreach (string s in values)
            {
                if (s == null)
                    throw new ArgumentNullException(paramName, paramName + "[" + list.Count + "] is null");
                list.Add(Utf8.OptionalArg(s, paramName + "[" + list.Count + "]"));
            }
            return new Utf8Array(list.ToArray());
        }

        internal IntPtr[] Pointers { get; private set; }

        internal UIntPtr Count
        {
            get { return (UIntPtr)Pointers.Length; }
        }

        public void Dispose()
        {
            foreach (GCHandle pin in pins)
                pin.Free();
            pins.Clear();
            foreach (byte[] b in strings)
                Utf8.Wipe(b);
        }
    }
}
