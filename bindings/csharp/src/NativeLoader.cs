using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Clarifai.API
{
    /// <summary>
    /// Finds libclarifai and points every <c>DllImport("clarifai")</c> of this assembly at it.
    /// The order: CLARIFAI_LIBRARY (alias CLARIFAI_NATIVE_LIB) when set, and nothing else then;
    /// the package's own <c>runtimes/linux-x64/native</c> folder, relative to this assembly (a
    /// .NET app's output folder, or the unpacked package when the assembly is loaded from its
    /// <c>lib/netstandard2.0</c>), and the assembly's own folder; then the system loader
    /// (<c>libclarifai.so.0</c>, then <c>libclarifai.so</c>). When nothing loads, the
    /// <see cref="DllNotFoundException"/> names every place tried and how to fix it.
    ///
    /// It must run before the JIT compiles any method that calls a DllImport: Mono binds a
    /// P/Invoke when it compiles its caller and keeps a failure for good. So every public entry
    /// that can be the first to reach native code calls <see cref="EnsureLoaded"/> and then a
    /// separate, non-inlined method that makes the calls.
    ///
    /// Binding: on Mono a runtime dllmap entry (mono_dllmap_insert, the table a .dll.config feeds)
    /// to the absolute path found; on .NET Core 3+ NativeLibrary.SetDllImportResolver (by
    /// reflection: netstandard2.0 does not declare it) returning the handle found. The probe
    /// itself is dlopen, so what it accepts is exactly what the runtime will load.
    /// </summary>
    internal static class NativeLoader
    {
        internal const string LibraryVariable = "CLARIFAI_LIBRARY";
        internal const string AliasVariable = "CLARIFAI_NATIVE_LIB";
        internal const string PackageFolder = "runtimes/linux-x64/native";
        private static readonly string[] FileNames = { "libclarifai.so.0", "libclarifai.so" };

        private static readonly object Gate = new object();
        private static bool done;
        private static string loadedPath;
        private static IntPtr loadedHandle;

        /// <summary>The file the library was loaded from, once loaded; null before, or off Linux.</summary>
        internal static string LoadedPath
        {
            get { return Volatile.Read(ref done) ? loadedPath : null; }
        }

        internal static void EnsureLoaded()
        {
            if (Volatile.Read(ref done))
                return;
            lock (Gate)
            {
                if (done)
                    return;
                if (Environment.OSVersion.Platform != PlatformID.Unix || !File.Exists("/proc/self/maps"))
                {
                    // Not Linux: the package ships no library for it; the runtime's own search applies.
                    Volatile.Write(ref done, true);
                    return;
                }
                var tried = new List<string>();
                Probe result = Find(tried);
                if (result == null)
                    throw new DllNotFoundException(NotFoundMessage(tried));
                Bind(result);
                loadedPath = result.Path;
                loadedHandle = result.Handle;
                Volatile.Write(ref done, true);
            }
        }

        private sealed class Probe
        {
            internal string Path;
            internal IntPtr Handle;
        }

        private static Probe Find(List<string> tried)
        {
            string variable = LibraryVariable;
            string value = Environment.GetEnvironmentVariable(LibraryVariable);
            if (string.IsNullOrEmpty(value))
            {
                variable = AliasVariable;
                value = Environment.GetEnvironmentVariable(AliasVariable);
            }
            if (!string.IsNullOrEmpty(value))
            {
                // The variable is an explicit choice: when it names nothing loadable, say so
                // rather than quietly load another copy of the library.
                var candidates = Directory.Exists(value)
                    ? Array.ConvertAll(FileNames, n => Path.Combine(value, n))
                    : new[] { value };
                foreach (string c in candidates)
                {
                    Probe p = TryFile(c, variable + "=" + value + ": ", tried);
                    if (p != null)
                        return p;
                }
                throw new DllNotFoundException(
                    "libclarifai could not be loaded from " + variable + "=" + value + ":" + Environment.NewLine
                    + "  " + string.Join(Environment.NewLine + "  ", tried) + Environment.NewLine
                    + "Set " + LibraryVariable + " to the library file (libclarifai.so.0 or libclarifai.so) or the directory that holds it, or unset it to use the package's or the system's library.");
            }
            tried.Add(LibraryVariable + " (or " + AliasVariable + "): not set");

            foreach (string dir in PackageDirectories())
            {
                Probe p = TryFile(Path.Combine(dir, "libclarifai.so"), "", tried);
                if (p != null)
                    return p;
            }
            foreach (string name in FileNames)
            {
                Probe p = TryLoad(name, "system loader: ", tried);
                if (p != null)
                    return p;
            }
            return null;
        }

        /// <summary>Where the package's native library can be, relative to this assembly.</summary>
        internal static IEnumerable<string> PackageDirectories()
        {
            string location = typeof(NativeLoader).Assembly.Location;
            if (string.IsNullOrEmpty(location))
                yield break; // loaded from bytes: no folder to look in
            string dir = Path.GetDirectoryName(Path.GetFullPath(location));
            // A .NET app's output folder (bin/…/runtimes/linux-x64/native/).
            yield return Path.Combine(dir, PackageFolder);
            // The unpacked package itself: lib/netstandard2.0/Clarifai.API.dll.
            yield return Path.GetFullPath(Path.Combine(Path.Combine(Path.Combine(dir, ".."), ".."), PackageFolder));
            // Beside the assembly (a RID-specific publish, or a hand copy).
            yield return dir;
        }

        private static Probe TryFile(string path, string label, List<string> tried)
        {
            string full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                tried.Add(label + full + ": no such file");
                return null;
            }
            return TryLoad(full, label, tried);
        }

        private static Probe TryLoad(string pathOrName, string label, List<string> tried)
        {
            // Binds dlerror before dlopen can fail: Mono resolves a P/Invoke at its first call,
            // with dlsym, which would clear the error dlopen left.
            Dl.Error();
            IntPtr h = Dl.dlopen(Utf8.Bytes(pathOrName), Dl.RTLD_NOW);
            if (h == IntPtr.Zero)
            {
                tried.Add(label + pathOrName + ": " + (Dl.Error() ?? "not loadable"));
                return null;
            }
            IntPtr version = Dl.dlsym(h, Utf8.Bytes("clarifai_version"));
            if (version == IntPtr.Zero)
            {
                tried.Add(label + pathOrName + ": not libclarifai (no clarifai_version)");
                return null;
            }
            // The file the loader really opened: for a bare name, the one the search path found.
            Dl.Info info;
            string path = Dl.dladdr(version, out info) != 0 ? Utf8.PtrToString(info.dli_fname) : null;
            // The library is linked with -z nodelete; the handle is kept for the resolver.
            return new Probe { Path = string.IsNullOrEmpty(path) ? pathOrName : path, Handle = h };
        }

        private static string NotFoundMessage(List<string> tried)
        {
            return "libclarifai (the Clarifai native library) was not found. Looked in:" + Environment.NewLine
                + "  " + string.Join(Environment.NewLine + "  ", tried) + Environment.NewLine
                + "Install the Clarifai.API package with its native library (" + PackageFolder + "), or install libclarifai system-wide "
                + "(the .deb, or `make install` then `ldconfig`), or set " + LibraryVariable + " to the library file or the directory that holds it.";
        }

        private static void Bind(Probe p)
        {
            if (Type.GetType("Mono.Runtime") != null)
            {
                MonoDllMapInsert(IntPtr.Zero, Utf8.Bytes(Interop.Library), null, Utf8.Bytes(p.Path), null);
                return;
            }
            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
            Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (nativeLibrary == null || resolverType == null)
                return; // .NET Framework: its own search (the assembly's folder, PATH) applies
            MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo resolve = typeof(NativeLoader).GetMethod("Resolve", BindingFlags.NonPublic | BindingFlags.Static);
            set.Invoke(null, new object[] { typeof(NativeLoader).Assembly, Delegate.CreateDelegate(resolverType, resolve) });
        }

        // Signature of System.Runtime.InteropServices.DllImportResolver.
        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            return libraryName == Interop.Library ? loadedHandle : IntPtr.Zero;
        }

        [DllImport("__Internal", EntryPoint = "mono_dllmap_insert", CallingConvention = CallingConvention.Cdecl)]
        private static extern void MonoDllMapInsert(IntPtr assembly, byte[] dll, byte[] func, byte[] tdll, byte[] tfunc);

        /// <summary>The dynamic loader of glibc (libdl.so.2 still exports it on glibc 2.34+).</summary>
        private static class Dl
        {
            internal const int RTLD_NOW = 2;

            [StructLayout(LayoutKind.Sequential)]
            internal struct Info
            {
                internal IntPtr dli_fname;
                internal IntPtr dli_fbase;
                internal IntPtr dli_sname;
                internal IntPtr dli_saddr;
            }

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlopen(byte[] file, int mode);

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            private static extern IntPtr dlerror();

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlsym(IntPtr handle, byte[] symbol);

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern int dladdr(IntPtr address, out Info info);

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static string Error()
            {
                return Utf8.PtrToString(dlerror());
            }
        }
    }
}
