package org.jodb.spi;

/** What every part of jodb that shows a storage URL in a message shares: hiding its secrets. */
public final class StorageUrls {
    private StorageUrls() {
    }

    /**
     * {@code url} fit for a message: the password of a {@code user:password@} part and the value of any
     * parameter named like a password or secret replaced by {@code ***}.
     */
    public static String redact(String url) {
        String shown = url.replaceAll("(//[^/@:?#]*:)[^/@?#]*@", "$1***@");
        return shown.replaceAll("(?i)((?:password|passwd|pwd|secret|sslpassword)=)[^&;#]*", "$1***");
    }
}
