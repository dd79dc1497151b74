using System;
using System.Linq;
using System.Threading;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>The exception classes are docs/errors.md's C# column, for every result the library has.</summary>
    [TestFixture]
    public class ErrorKindTests
    {
        [Test]
        public void EveryResultHasTheKindTheTableGivesIt()
        {
            var byName = ErrorTable.ResultsByName();
            CollectionAssert.AreEquivalent(ErrorTable.Results.Concat(new[] { "CLARIFAI_RESULT_OK" }), byName.Keys,
                "the library's results and docs/errors.md's rows");
            foreach (string name in ErrorTable.Results)
                Assert.AreEqual(ErrorTable.KindOf(name), ClarifaiErrorKinds.Of(byName[name]).ToString(), name);
        }

        [Test]
        public void EveryResultBecomesTheClassTheTableNamesForItsKind()
        {
            var byName = ErrorTable.ResultsByName();
            foreach (string name in ErrorTable.Results)
            {
                var cts = new CancellationTokenSource();
                Exception e = Errors.From(ErrorInfo.Read((uint)byName[name], null, IntPtr.Zero), cts.Token);
                string kind = ErrorTable.KindOf(name);
                Assert.AreEqual(ErrorTable.ClassOf(kind), e.GetType().Name, name);
                if (kind == "Cancelled")
                {
                    Assert.AreEqual(typeof(OperationCanceledException), e.GetType());
                    Assert.AreEqual(cts.Token, ((OperationCanceledException)e).CancellationToken);
                    continue;
                }
                Assert.AreEqual("Clarifai.API", e.GetType().Namespace, name);
                var ce = (ClarifaiException)e;
                Assert.AreEqual(byName[name], ce.Result, name);
                Assert.AreEqual(name, ce.ResultName);
                Assert.AreEqual(kind, ce.Kind.ToString());
            }
        }

        [Test]
        public void TheApiKindsShareClarifaiApiException()
        {
            foreach (string kind in new[] { "Api", "MissingScopes", "KeyNotFound", "KeyInvalid", "InvalidRequest", "PatRequired", "Throttled", "NotFound", "MethodNotAllowed" })
                Assert.IsTrue(typeof(ClarifaiApiException).IsAssignableFrom(typeof(ClarifaiClient).Assembly.GetType("Clarifai.API." + ErrorTable.ClassOf(kind))), kind);
            foreach (string kind in new[] { "InvalidArgument", "UnknownEndpoint", "Configuration", "Transport", "RotationIncomplete", "State", "Internal" })
            {
                Type t = typeof(ClarifaiClient).Assembly.GetType("Clarifai.API." + ErrorTable.ClassOf(kind));
                Assert.IsTrue(typeof(ClarifaiException).IsAssignableFrom(t), kind);
                Assert.IsFalse(typeof(ClarifaiApiException).IsAssignableFrom(t), kind);
            }
        }
    }
}
