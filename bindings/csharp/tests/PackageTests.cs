using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>The package's descriptions agree with Cargo.toml, and the library is found where the loader says.</summary>
    [TestFixture]
    public class PackageTests
    {
        private static string Here
        {
            get { return Path.Combine(Path.Combine(Emulator.RepoRoot, "bindings"), "csharp"); }
        }

        private static string CargoVersion()
        {
            // The [package] table's version (the workspace root is the core crate).
            string toml = File.ReadAllText(Path.Combine(Emulator.RepoRoot, "Cargo.toml"));
            Match m = Regex.Match(toml, @"^\[package\][^\[]*?^version\s*=\s*""([^""]+)""", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.IsTrue(m.Success, "Cargo.toml has a [package] version");
            return m.Groups[1].Value;
        }

        private static XElement Find(XElement root, string name)
        {
            return root.Descendants().Single(e => e.Name.LocalName == name);
        }

        [Test]
        public void NuspecCsprojAssemblyAndLibraryHaveCargosVersion()
        {
            string version = CargoVersion();
            XElement nuspec = XElement.Load(Path.Combine(Here, "Clarifai.API.nuspec"));
            XElement csproj = XElement.Load(Path.Combine(Here, "Clarifai.API.csproj"));
            Assert.AreEqual(version, Find(nuspec, "version").Value, ".nuspec version");
            Assert.AreEqual(version, Find(csproj, "Version").Value, ".csproj Version");
            Assert.AreEqual("Clarifai.API", Find(nuspec, "id").Value);
            Assert.AreEqual(Find(nuspec, "id").Value, Find(csproj, "PackageId").Value, "one package id");
            var info = (AssemblyInformationalVersionAttribute)typeof(ClarifaiClient).Assembly.GetCustomAttributes(typeof(AssemblyInformationalVersionAttribute), false).Single();
            Assert.AreEqual(version, info.InformationalVersion, "the assembly's informational version");
            Assert.AreEqual(version + ".0", typeof(ClarifaiClient).Assembly.GetName().Version.ToString(), "the assembly version");
            Assert.AreEqual(version, ClarifaiClient.Version, "the native library's version");
        }

        [Test]
        public void NuspecAndCsprojPackTheSameFiles()
        {
            XElement nuspec = XElement.Load(Path.Combine(Here, "Clarifai.API.nuspec"));
            var targets = nuspec.Descendants().Where(e => e.Name.LocalName == "file").Select(e => (string)e.Attribute("target")).OrderBy(t => t, StringComparer.Ordinal).ToList();
            CollectionAssert.AreEqual(new[] { "LICENSE.txt", "README.md", "lib/netstandard2.0/Clarifai.API.dll", "lib/netstandard2.0/Clarifai.API.xml", "runtimes/linux-x64/native/libclarifai.so" }, targets);
            XElement csproj = XElement.Load(Path.Combine(Here, "Clarifai.API.csproj"));
            // A PackagePath ending in "/" is a folder for the file; otherwise it is the file's path.
            var packed = csproj.Descendants().Where(e => (string)e.Attribute("Pack") == "true")
                .Select(e => new { Path = (string)e.Attribute("PackagePath"), Name = Path.GetFileName((string)e.Attribute("Include")) })
                .Select(p => (p.Path.EndsWith("/") ? p.Path + p.Name : p.Path).TrimStart('/')).ToList();
            CollectionAssert.AreEquivalent(new[] { "LICENSE.txt", "README.md", "runtimes/linux-x64/native/libclarifai.so" }, packed,
                "the .csproj packs the same extra files (the SDK adds lib/netstandard2.0 itself)");
            Assert.AreEqual("netstandard2.0", Find(csproj, "TargetFramework").Value);
            Assert.AreEqual("true", Find(csproj, "GenerateDocumentationFile").Value);
        }

        [Test]
        public void TheLibraryIsTheOneClarifaiLibraryNames()
        {
            // run-tests points CLARIFAI_LIBRARY at the library under test.
            string named = Emulator.Require("CLARIFAI_LIBRARY");
            Assert.AreEqual(Path.GetFullPath(named), Path.GetFullPath(ClarifaiClient.NativeLibraryPath));
        }

        [Test]
        public void PackageFoldersAreRelativeToTheAssembly()
        {
            string dir = Path.GetDirectoryName(typeof(ClarifaiClient).Assembly.Location);
            CollectionAssert.AreEqual(new[]
            {
                Path.Combine(dir, "runtimes/linux-x64/native"),
                Path.GetFullPath(Path.Combine(dir, "../../runtimes/linux-x64/native")),
                dir,
            }, NativeLoader.PackageDirectories().ToArray());
        }
    }
}
