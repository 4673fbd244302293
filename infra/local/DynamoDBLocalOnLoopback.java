/*
 * DynamoDB Local, listening on 127.0.0.1 only. DynamoDB Local has no flag for the address it binds (its
 * flags: -port, -inMemory, -dbPath, -sharedDb, -cors, -delayTransientStatuses, -optimizeDbBeforeStartup,
 * -disableTelemetry); its Jetty server is built with `new Server(port)`, which listens on every interface.
 * This launcher builds the server from the same command line as DynamoDB Local's own main
 * (ServerRunner.createServerFromCommandLineArgs), sets its connector's host to 127.0.0.1, then starts it.
 * Run by infra/local/dynamo.ts as a single-file source program (`java -cp DynamoDBLocal.jar <this file> …`).
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class DynamoDBLocalOnLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector c : server.getConnectors()) ((ServerConnector) c).setHost("127.0.0.1");
    proxy.start();
  }
}
