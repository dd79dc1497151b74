using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace Clarifai.API
{
    /// <summary>One call of <see cref="ClarifaiClient.CallMany(IEnumerable{ClarifaiCall})"/>.</summary>
    public sealed class ClarifaiCall
    {
        /// <summary>A call of <paramref name="endpoint"/> (an RPC name) with its request fields as a JSON object (null for none).</summary>
        public ClarifaiCall(string endpoint, string jsonParams = null)
        {
            Endpoint = endpoint;
            JsonParams = jsonParams;
        }

        /// <summary>The RPC name, e.g. "ListInputs".</summary>
        public string Endpoint { get; private set; }

        /// <summary>The request fields as a JSON object, or null.</summary>
        public string JsonParams { get; private set; }
    }

    /// <summary>The outcome of one call of a batch: a response, or the exception it would have thrown.</summary>
    public sealed class ClarifaiCallResult
    {
        internal ClarifaiCallResult(ClarifaiResponse response, Exception error)
        {
            Response = response;
            Error = error;
        }

        /// <summary>Whether the call succeeded.</summary>
        public bool Succeeded
        {
            get { return Error == null; }
        }

        /// <summary>The response, or null when the call failed.</summary>
        public ClarifaiResponse Response { get; private set; }

        /// <summary>
        /// The failure: a <see cref="ClarifaiException"/>, or an <see cref="OperationCanceledException"/>
        /// for a call the batch's cancellation stopped; null on success.
        /// </summary>
        public Exception Error { get; private set; }

        /// <summary>The response, or throws the call's exception.</summary>
        public ClarifaiResponse GetResponse()
        {
            if (Error != null)
                throw Error;
            return Response;
        }
    }

    /// <summary>
    /// A <c>clarifai_batch</c>: the results of a batch, in the order of its calls. Responses and
    /// errors in it are borrowed: each result keeps the batch handle alive, and the batch is freed
    /// once none is reachable (or at once, when the whole batch was cancelled).
    /// </summary>
    internal static class Batch
    {
        /// <summary>The calls as the library takes them: endpoints and parameters, checked and pinned.</summary>
        internal sealed class Calls : IDisposable
        {
            internal Utf8Array Endpoints;
            internal Utf8Array Params;

            internal static Calls Of(IEnumerable<ClarifaiCall> calls)
            {
                if (calls == null)
                    throw new ArgumentNullException("calls");
                var list = new List<ClarifaiCall>(calls);
                var endpoints = new byte[list.Count][];
                var parameters = new byte[list.Count][];
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] == null)
                        throw new ArgumentNullException("calls", "call " + i + " is null");
                    endpoints[i] = Utf8.Arg(list[i].Endpoint, "calls[" + i + "].Endpoint");
                    parameters[i] = Utf8.OptionalArg(list[i].JsonParams, "calls[" + i + "].JsonParams");
                }
                var c = new Calls { Endpoints = new Utf8Array(endpoints) };
                try
                {
                    c.Params = new Utf8Array(parameters);
                }
                catch
                {
                    c.Dispose();
                    throw;
                }
                return c;
            }

            internal int Count
            {
                get { return Endpoints.Pointers.Length; }
            }

            public void Dispose()
            {
                if (Endpoints != null)
                    Endpoints.Dispose();
                if (Params != null)
                    Params.Dispose();
            }
        }

        /// <summary>
        /// The results, or null when the batch was cancelled: some call has CANCELLED while
        /// <paramref name="token"/> asked for it (the .NET contract is then a cancelled operation,
        /// and the batch is freed here).
        /// </summary>
        internal static IReadOnlyList<ClarifaiCallResult> Read(BatchHandle batch, int expected, CancellationToken token)
        {
            int n = (int)Native.clarifai_batch_len(batch);
            if (n != expected)
            {
                batch.Dispose();
                throw new InvalidOperationException("the library returned " + n + " results for " + expected + " calls");
            }
            if (token.IsCancellationRequested)
            {
                for (int i = 0; i < n; i++)
                {
                    if (Native.clarifai_batch_result(batch, (UIntPtr)i) == (uint)ClarifaiResult.Cancelled)
                    {
                        batch.Dispose();
                        return null;
                    }
                }
            }
            var results = new ClarifaiCallResult[n];
            for (int i = 0; i < n; i++)
            {
                uint r = Native.clarifai_batch_result(batch, (UIntPtr)i);
                if (r == 0)
                    results[i] = new ClarifaiCallResult(new ClarifaiResponse(batch, Native.clarifai_batch_response(batch, (UIntPtr)i), false), null);
                else
                    results[i] = new ClarifaiCallResult(null, Errors.From(ErrorInfo.Read(r, batch, Native.clarifai_batch_error(batch, (UIntPtr)i)), token));
            }
            return results;
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_batch_len(BatchHandle batch);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_batch_result(BatchHandle batch, UIntPtr index);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_batch_response(BatchHandle batch, UIntPtr index);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_batch_error(BatchHandle batch, UIntPtr index);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_batch_free(IntPtr batch);
        }
    }
}
