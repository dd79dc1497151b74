using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// A plain-HTTP forward proxy stand-in for the option tests: it records each request line
    /// (absolute-form, as a client speaks to a proxy) and answers every request itself with a
    /// Clarifai success status and an X-Via-Test-Proxy header.
    /// </summary>
    internal sealed class TestProxy : IDisposable
    {
        private readonly TcpListener listener;
        private readonly Thread thread;
        private readonly List<string> requestLines = new List<string>();

        public TestProxy()
        {
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            thread = new Thread(Serve) { IsBackground = true, Name = "test proxy" };
            thread.Start();
        }

        public string Url
        {
            get { return "http://127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port; }
        }

        public List<string> RequestLines
        {
            get
            {
                lock (requestLines)
                    return new List<string>(requestLines);
            }
        }

        private void Serve()
        {
            try
            {
                while (true)
                {
                    using (TcpClient c = listener.AcceptTcpClient())
                    using (NetworkStream s = c.GetStream())
                    {
                        string head = ReadHead(s);
                        if (head == null)
                            continue;
                        lock (requestLines)
                            requestLines.Add(head.Split(new[] { "\r\n" }, StringSplitOptions.None)[0]);
                        byte[] body = Encoding.UTF8.GetBytes("{\"status\":{\"code\":10000,\"description\":\"Ok\"}}");
                        string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Via-Test-Proxy: yes\r\n"
                            + "Connection: close\r\nContent-Length: " + body.Length + "\r\n\r\n";
                        byte[] a = Encoding.ASCII.GetBytes(answer);
                        s.Write(a, 0, a.Length);
                        s.Write(body, 0, body.Length);
                    }
                }
            }
            catch (SocketException)
            {
                // Stopped.
            }
            catch (ObjectDisposedException)
            {
            }
            catch (IOException)
            {
            }
        }

        private static string ReadHead(Stream s)
        {
            var head = new StringBuilder();
            int b;
            while ((b = s.ReadByte()) >= 0)
            {
                head.Append((char)b);
                if (head.Length >= 4 && head.ToString(head.Length - 4, 4) == "\r\n\r\n")
                    return head.ToString();
            }
            return null;
        }

        public void Dispose()
        {
            listener.Stop();
        }
    }
}
