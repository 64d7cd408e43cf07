package org.jodb.cli;

import java.io.IOException;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * A connection to the JMX server of another JVM on this machine, through the JDK's Attach API: attaching
 * starts that JVM's local management agent (it needs no flag at its start) and connects to it. Kept apart from
 * {@link LiveFigures} because a Java runtime without the {@code jdk.attach} module cannot load this class.
 */
final class AttachedJvm implements AutoCloseable {
    /** The JVM's MBean server. */
    final MBeanServerConnection server;
    /** The JVM's working directory ({@code user.dir}), against which it resolves relative paths. */
    final String userDir;
    private final VirtualMachine vm;
    private final JMXConnector connector;

    private AttachedJvm(VirtualMachine vm, JMXConnector connector, String userDir) throws IOException {
        this.vm = vm;
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
        this.userDir = userDir;
    }

    /**
     * @throws UserError when the JVM cannot be attached to (another user's, or one started with
     *         {@code -XX:+DisableAttachMechanism}), naming the remedy
     * @throws IOException when its agent cannot be started or reached
     */
    static AttachedJvm attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new UserError("cannot attach to process " + pid + " (" + e.getMessage() + "): run jodb as the user"
                    + " that runs the application, on the same machine, and do not start that JVM with"
                    + " -XX:+DisableAttachMechanism");
        }
        try {
            String address = vm.startLocalManagementAgent();
            String userDir = vm.getSystemProperties().getProperty("user.dir", "");
            return new AttachedJvm(vm, JMXConnectorFactory.connect(new JMXServiceURL(address)), userDir);
        } catch (IOException | RuntimeException e) {
            detach(vm);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the JVM went away meanwhile: nothing left to close
        }
        detach(vm);
    }

    private static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the JVM went away meanwhile: nothing to detach from
        }
    }
}
