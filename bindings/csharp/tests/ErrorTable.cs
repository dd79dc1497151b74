using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Clarifai.API;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// docs/errors.md, read as the tests' reference: which kind each result is, and which C#
    /// exception class each kind is. The tests hold no copy of either table.
    /// </summary>
    internal static class ErrorTable
    {
        private static Dictionary<string, string> kindOfResult;
        private static Dictionary<string, string> classOfKind;

        private static IEnumerable<string[]> Rows()
        {
            string path = Path.Combine(Path.Combine(Emulator.RepoRoot, "docs"), "errors.md");
            foreach (string line in File.ReadAllLines(path))
            {
                if (!line.StartsWith("|") || line.StartsWith("|---"))
                    continue;
                yield return line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            }
        }

        private static void Load()
        {
            if (kindOfResult != null)
                return;
            kindOfResult = new Dictionary<string, string>();
            classOfKind = new Dictionary<string, string>();
            foreach (string[] row in Rows())
            {
                if (row[0].StartsWith("CLARIFAI_RESULT_"))
                    kindOfResult[row[0]] = row[1];
                else if (row.Length == 4 && row[0] != "kind")
                    // "OperationCanceledException (TaskCanceledException from async calls), ..." → the class name.
                    classOfKind[row[0]] = Regex.Match(row[2], @"^[A-Za-z]+").Value;
            }
        }

        /// <summary>The kind docs/errors.md gives a result, by its C name.</summary>
        public static string KindOf(string resultName)
        {
            Load();
            return kindOfResult[resultName];
        }

        /// <summary>The C# exception class docs/errors.md names for a kind.</summary>
        public static string ClassOf(string kind)
        {
            Load();
            return classOfKind[kind];
        }

        public static IEnumerable<string> Results
        {
            get
            {
                Load();
                return kindOfResult.Keys;
            }
        }

        public static IEnumerable<string> Kinds
        {
            get
            {
                Load();
                return classOfKind.Keys;
            }
        }

        /// <summary>Every result code the library has, by its C name (asked of the library itself).</summary>
        public static Dictionary<string, ClarifaiResult> ResultsByName()
        {
            return Enum.GetValues(typeof(ClarifaiResult)).Cast<ClarifaiResult>()
                .ToDictionary(r => ErrorInfo.Read((uint)r, null, IntPtr.Zero).ResultName);
        }
    }
}
